package dev.sluice.engine.scheduler;

import dev.sluice.worker.exec.LocalExecutor;
import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.LogSink;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import java.util.concurrent.CompletableFuture;

/** Runs attempts in this process, on the embedded worker. */
public final class LocalDispatcher implements Dispatcher {

    private final LocalExecutor executor;
    private final String worker;

    public LocalDispatcher(LocalExecutor executor, String worker) {
        this.executor = executor;
        this.worker = worker;
    }

    @Override
    public String worker() {
        return worker;
    }

    @Override
    public CompletableFuture<TaskResult> dispatch(TaskRequest request, LogSink sink) {
        return executor.start(request, sink);
    }

    @Override
    public boolean cancel(AttemptKey key) {
        return executor.cancel(key);
    }
}
