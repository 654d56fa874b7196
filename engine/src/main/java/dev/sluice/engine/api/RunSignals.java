package dev.sluice.engine.api;

import dev.sluice.engine.scheduler.RunListener;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.TaskRecord;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes the streams following a run as soon as the scheduler has committed a change of it, so
 * they read the store at once instead of at their next poll. A listener of the scheduler: it only
 * calls the (quick, non-blocking) wake-ups registered for that run.
 */
public final class RunSignals implements RunListener {

    private final ConcurrentHashMap<String, Set<Runnable>> waiting = new ConcurrentHashMap<>();

    /** @return what stops the wake-ups */
    Runnable subscribe(String runId, Runnable wake) {
        waiting.computeIfAbsent(runId, k -> ConcurrentHashMap.newKeySet()).add(wake);
        return () -> waiting.computeIfPresent(runId, (k, set) -> {
            set.remove(wake);
            return set.isEmpty() ? null : set;
        });
    }

    @Override
    public void runChanged(RunRecord run) {
        wake(run.id());
    }

    @Override
    public void taskChanged(RunRecord run, TaskRecord task) {
        wake(run.id());
    }

    private void wake(String runId) {
        Set<Runnable> set = waiting.get(runId);
        if (set != null) set.forEach(Runnable::run);
    }
}
