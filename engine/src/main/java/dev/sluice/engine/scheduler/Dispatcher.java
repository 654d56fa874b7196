package dev.sluice.engine.scheduler;

import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.LogSink;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Hands attempts to workers: the embedded local worker, and remote ones in a cluster. Called from
 * the scheduler thread, except {@link #cancel}, which any thread may call.
 */
public interface Dispatcher {

    /**
     * Takes a free slot on a worker carrying every one of {@code labels} (the least loaded), or tells
     * why none can be had now. A placed slot is used by the next {@link #dispatch} with it.
     */
    Placement place(List<String> labels);

    /**
     * Starts an attempt on the slot {@link #place} took for it; the future completes with its result
     * (never exceptionally), and the slot is free again from then on.
     */
    CompletableFuture<TaskResult> dispatch(TaskRequest request, Placement placement, LogSink sink);

    /** Gives back a slot {@link #place} took that will not be used (the step was served from the cache, say). */
    void release(Placement placement);

    /** Kills a running attempt; its result then arrives with outcome CANCELLED. */
    boolean cancel(AttemptKey key);

    /** Slots free now on every worker together: more attempts than this cannot be placed. */
    int freeSlots();
}
