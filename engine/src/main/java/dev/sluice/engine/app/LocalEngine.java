package dev.sluice.engine.app;

import dev.sluice.engine.expr.Expressions;
import dev.sluice.engine.scheduler.LocalDispatcher;
import dev.sluice.engine.scheduler.Owner;
import dev.sluice.engine.scheduler.Recovery;
import dev.sluice.engine.scheduler.RunListener;
import dev.sluice.engine.scheduler.Scheduler;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import dev.sluice.worker.artifact.ArtifactStore;
import dev.sluice.worker.artifact.ArtifactStores;
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
 * An engine in this process: the store (interrupted runs already marked), the artifact store
 * ({@code --artifacts}: the data dir's {@code artifacts} folder, or an S3 bucket cached there),
 * and on demand the embedded worker and the scheduler.
 */
final class LocalEngine implements AutoCloseable {

    /** TERM, then KILL after this long (the spec's 10 s; tests shorten it with -Dsluice.kill-grace=PT1S). */
    static final Duration KILL_GRACE = Duration.parse(System.getProperty("sluice.kill-grace", "PT10S"));

    final Path dataDir;
    final Store store;
    final ArtifactStore artifacts;
    final Clock clock = Clock.systemUTC();
    private LocalExecutor executor;
    private Scheduler scheduler;

    private LocalEngine(Path dataDir, Store store, ArtifactStore artifacts) {
        this.dataDir = dataDir;
        this.store = store;
        this.artifacts = artifacts;
    }

    static LocalEngine open(StoreOptions options) {
        Path dir = options.dataDir();
        try {
            Stores.createDataDir(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data dir " + dir + ": " + e.getMessage(), e);
        }
        // the artifact store first: a wrong --artifacts fails before the database is opened
        ArtifactStore artifacts = ArtifactStores.open(options.artifacts, dir.resolve("artifacts"), System.getenv());
        Store store;
        try {
            store = Stores.open(options.db, dir);
        } catch (RuntimeException e) {
            artifacts.close();
            throw e;
        }
        try {
            Recovery.markInterrupted(store, Clock.systemUTC());
            return new LocalEngine(dir, store, artifacts);
        } catch (RuntimeException e) {
            store.close();
            artifacts.close();
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
        artifacts.close();
    }
}
