package dev.sluice.engine.app;

import dev.sluice.engine.expr.Expressions;
import dev.sluice.engine.scheduler.LocalDispatcher;
import dev.sluice.engine.scheduler.Owner;
import dev.sluice.engine.scheduler.Recovery;
import dev.sluice.engine.scheduler.RunListener;
import dev.sluice.engine.scheduler.Scheduler;
import dev.sluice.engine.store.Fence;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import dev.sluice.worker.artifact.ContentStore;
import dev.sluice.worker.exec.LocalExecutor;
import dev.sluice.worker.protocol.TaskRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * An engine in this process: the store (interrupted runs already marked), the content store,
 * and on demand the embedded worker and the scheduler.
 */
final class LocalEngine implements AutoCloseable {

    /** TERM, then KILL after this long (the spec's 10 s; tests shorten it with -Dsluice.kill-grace=PT1S). */
    static final Duration KILL_GRACE = Duration.parse(System.getProperty("sluice.kill-grace", "PT10S"));

    final Path dataDir;
    final Store store;
    final ContentStore artifacts;
    final Clock clock = Clock.systemUTC();
    private LocalExecutor executor;
    private Scheduler scheduler;

    private LocalEngine(Path dataDir, Store store, ContentStore artifacts) {
        this.dataDir = dataDir;
        this.store = store;
        this.artifacts = artifacts;
    }

    static LocalEngine open(StoreOptions options) {
        return open(options, null);
    }

    /**
     * @param fence for a server: its commits are checked against the leader lease (null: none). A
     *              fenced engine leaves marking dead commands' runs to the leader.
     */
    static LocalEngine open(StoreOptions options, Fence fence) {
        Path dir = options.dataDir();
        try {
            Stores.createDataDir(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data dir " + dir + ": " + e.getMessage(), e);
        }
        Store store = fence == null ? Stores.open(options.db, dir) : Stores.open(options.db, dir, Clock.systemUTC(), fence);
        try {
            if (fence == null) Recovery.markInterrupted(store, Clock.systemUTC());
            return new LocalEngine(dir, store, new ContentStore(dir.resolve("artifacts")));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    Scheduler scheduler(int slots, Owner owner, RunListener listener) {
        scheduler = new Scheduler(store, localWorker(slots, Set.of(), owner), artifacts,
                new Expressions(), clock, owner.toString(), TaskRequest.DEFAULT_MAX_LOG_BYTES, listener);
        return scheduler;
    }

    /** The embedded worker: steps run as processes of this machine, {@code slots} at a time. */
    LocalDispatcher localWorker(int slots, Set<String> labels, Owner owner) {
        String worker = "local@" + owner.host();
        executor = new LocalExecutor(artifacts, dataDir.resolve("work"), worker, KILL_GRACE);
        return new LocalDispatcher(executor, worker, slots, labels);
    }

    @Override
    public void close() {
        if (scheduler != null) scheduler.close();
        if (executor != null) executor.close();
        store.close();
    }
}
