package dev.sluice.engine.scheduler;

import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.LogSink;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import java.util.concurrent.CompletableFuture;

/** Hands attempts to workers: the embedded local worker now, remote ones later. */
public interface Dispatcher {

    /** The name recorded on attempts this dispatcher starts. */
    String worker();

    /** Starts an attempt; the future completes with its result (never exceptionally). */
    CompletableFuture<TaskResult> dispatch(TaskRequest request, LogSink sink);

    /** Kills a running attempt; its result then arrives with outcome CANCELLED. */
    boolean cancel(AttemptKey key);
}
