package dev.sluice.engine.scheduler;

import dev.sluice.worker.exec.LocalExecutor;
import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.LogSink;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs attempts in this process, on the embedded worker: {@code slots} at a time. */
public final class LocalDispatcher implements Dispatcher {

    private final LocalExecutor executor;
    private final String worker;
    private final int slots;
    private final Set<String> labels;
    private final AtomicInteger used = new AtomicInteger();

    public LocalDispatcher(LocalExecutor executor, String worker, int slots, Set<String> labels) {
        if (slots < 1) throw new IllegalArgumentException("slots < 1");
        this.executor = executor;
        this.worker = worker;
        this.slots = slots;
        this.labels = Set.copyOf(labels);
    }

    public String worker() {
        return worker;
    }

    public int slots() {
        return slots;
    }

    public Set<String> labels() {
        return labels;
    }

    /** Attempts placed here and not ended yet. */
    public int running() {
        return used.get();
    }

    /** Whether this worker carries every one of {@code required}. */
    public boolean carries(List<String> required) {
        return labels.containsAll(required);
    }

    @Override
    public Placement place(List<String> required) {
        if (!carries(required)) return Placement.waiting(Placement.noWorker(required));
        while (true) {
            int n = used.get();
            if (n >= slots) return Placement.waiting("waiting for a free slot");
            if (used.compareAndSet(n, n + 1)) return Placement.on(worker);
        }
    }

    @Override
    public CompletableFuture<TaskResult> dispatch(TaskRequest request, Placement placement, LogSink sink) {
        CompletableFuture<TaskResult> result;
        try {
            result = executor.start(request, sink);
        } catch (RuntimeException e) {
            used.decrementAndGet();
            throw e;
        }
        return result.whenComplete((r, e) -> used.decrementAndGet());
    }

    @Override
    public void release(Placement placement) {
        if (placement.placed()) used.decrementAndGet();
    }

    @Override
    public boolean cancel(AttemptKey key) {
        return executor.cancel(key);
    }

    @Override
    public int freeSlots() {
        return Math.max(0, slots - used.get());
    }
}
