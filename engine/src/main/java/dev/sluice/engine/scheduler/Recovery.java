package dev.sluice.engine.scheduler;

import dev.sluice.engine.run.RunEvent;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepEvent;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.run.Transitions;
import dev.sluice.engine.store.AttemptRecord;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.ConflictException;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.TaskRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends runs whose owner died (e.g. {@code kill -9} of {@code sluice run}): the run becomes FAILED
 * with reason "interrupted", its running attempts and steps FAILED "interrupted", and the steps
 * that had not started CANCELLED. Every command that opens the store calls this first.
 */
public final class Recovery {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);
    public static final String INTERRUPTED = "interrupted";

    private Recovery() {}

    /** Runs not finished whose owner is gone. */
    public static List<RunRecord> orphans(Store store, Clock clock) {
        Instant now = clock.instant();
        List<RunRecord> orphans = new ArrayList<>();
        for (RunRecord run : store.runsIn(RunState.QUEUED, RunState.RUNNING)) {
            Optional<Owner> owner = Owner.parse(run.owner());
            boolean orphan = owner.map(o -> !o.alive(run.heartbeatAt(), now))
                    // an unowned run left by a CLI process that died before taking it
                    .orElse("cli".equals(run.trigger()) && run.heartbeatAt() == null);
            if (orphan) orphans.add(run);
        }
        return orphans;
    }

    /** Whether a server owned the run: a restarted server resumes it ({@link Takeover}), nobody marks it. */
    static boolean ownedByServer(RunRecord run) {
        return Owner.parse(run.owner()).map(o -> o.kind().equals("server")).orElse(false);
    }

    /**
     * Marks interrupted the orphaned runs of {@code sluice run} processes. Runs of a server are left
     * for the server to resume when it starts again.
     *
     * @return the ids of the runs marked interrupted
     */
    public static List<String> markInterrupted(Store store, Clock clock) {
        List<String> marked = new ArrayList<>();
        Instant now = clock.instant();
        for (RunRecord run : orphans(store, clock)) {
            if (ownedByServer(run)) continue;
            try {
                store.commit(interrupt(store, run, now));
                marked.add(run.id());
                List<Long> killed = Orphans.kill(run.id());
                if (!killed.isEmpty()) log.info("[run {}] killed {} leftover step process(es): {}", run.id(), killed.size(), killed);
                log.info("[pipeline {}] [run {}] FAILED (interrupted: its process {} is gone)", run.pipeline(), run.id(), run.owner());
            } catch (ConflictException e) {
                log.debug("run {} changed while being marked interrupted: {}", run.id(), e.getMessage());
            }
        }
        return marked;
    }

    private static List<Change> interrupt(Store store, RunRecord run, Instant now) {
        List<Change> changes = new ArrayList<>();
        for (AttemptRecord a : store.attempts(run.id())) {
            if (a.status().equals("RUNNING")) {
                changes.add(new Change.FinishAttempt(run.id(), a.taskId(), a.attempt(), "FAILED", null, now, null, INTERRUPTED,
                        "the process running this attempt is gone", false, List.of(), null, List.of()));
            }
        }
        for (TaskRecord t : store.tasks(run.id())) {
            if (t.status().terminal()) continue;
            boolean running = t.status() == StepState.RUNNING;
            StepState next = Transitions.apply(t.status(), running ? StepEvent.FAIL : StepEvent.CANCEL).next();
            changes.add(new Change.SetTaskState(run.id(), t.taskId(), t.status(), next,
                    running ? INTERRUPTED : "run interrupted", now, null, null, null, null, null));
        }
        RunState next = Transitions.apply(run.status(), RunEvent.INTERRUPT).next();
        changes.add(new Change.SetRunState(run.id(), run.status(), next, now, INTERRUPTED));
        changes.add(new Change.SetRunOwner(run.id(), null, now));
        return changes;
    }
}
