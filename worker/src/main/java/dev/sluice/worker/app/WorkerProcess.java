package dev.sluice.worker.app;

import dev.sluice.worker.artifact.ArtifactStore;
import dev.sluice.worker.artifact.ArtifactStores;
import dev.sluice.worker.cluster.AgentSettings;
import dev.sluice.worker.cluster.ArtifactClient;
import dev.sluice.worker.cluster.ClusterOptions;
import dev.sluice.worker.cluster.Clustering;
import dev.sluice.worker.cluster.WorkerAgent;
import dev.sluice.worker.exec.Lease;
import dev.sluice.worker.exec.LocalExecutor;
import dev.sluice.worker.exec.Watchdog;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker process: joins the cluster as a lite member, deploys the {@link WorkerAgent}, prints
 * {@code worker NAME ready: slots=N labels=[...]} once the leader has accepted it, and on SIGTERM
 * drains (no new work, running steps get {@code grace} to finish, then are killed; every result is
 * reported) before leaving the cluster.
 */
final class WorkerProcess {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);
    /** How long results may wait for the engine's acknowledgement at shutdown. */
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    /** @param artifacts {@code --artifacts}: {@code s3://bucket/prefix}, or null for the work dir's store (outputs go through the engine) */
    record Config(String name, int slots, List<String> labels, Path workDir, ClusterOptions cluster,
                  Optional<String> token, Duration grace, long pid, String artifacts) {}

    private final Config config;
    private final PrintWriter out;
    private Runnable closeWatchdog = () -> { };

    private final Map<String, String> env;

    WorkerProcess(Config config, PrintWriter out, Map<String, String> env) {
        this.config = config;
        this.out = out;
        this.env = env;
    }

    /** Runs until SIGTERM (the JVM then exits from the shutdown hook) or a refused join token (returns 2). */
    int run() throws Exception {
        Files.createDirectories(config.workDir());
        ArtifactStore store = ArtifactStores.open(config.artifacts(), config.workDir().resolve("store"), env);
        // outside the JVM: ends this worker's steps once its lease runs out, even while the JVM is frozen
        Optional<Watchdog> watchdog = Watchdog.start(config.workDir().resolve("watchdog"));
        LocalExecutor executor = new LocalExecutor(store, config.workDir().resolve("attempts"), config.name(),
                LocalExecutor.DEFAULT_KILL_GRACE, watchdog.<Lease>map(w -> w).orElse(Lease.ALWAYS));
        closeWatchdog = () -> watchdog.ifPresent(Watchdog::close);
        ExecutorService io = Executors.newCachedThreadPool(daemonThreads());
        long startedAt = System.nanoTime();
        Vertx vertx;
        try {
            vertx = Clustering.start(config.cluster()).await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            executor.close();
            closeWatchdog.run();
            io.shutdownNow();
            store.close();
            throw new IllegalStateException("could not join the cluster through " + String.join(",", config.cluster().members())
                    + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
        }
        LOG.info("worker {} joined the cluster in {} ms (JVM up {} ms)", config.name(), (System.nanoTime() - startedAt) / 1_000_000,
                ManagementFactory.getRuntimeMXBean().getUptime());
        AgentSettings settings = new AgentSettings(UUID.randomUUID().toString(), config.name(), config.labels(), config.slots(),
                config.token(), config.cluster().host(), config.pid(), AgentSettings.Timing.DEFAULT);
        WorkerAgent agent = new WorkerAgent(settings, executor, new ArtifactClient(store, config.workDir().resolve("downloads"), io),
                watchdog);
        vertx.deployVerticle(agent).await(30, TimeUnit.SECONDS);

        CompletableFuture<Integer> halted = new CompletableFuture<>();
        agent.registered().onSuccess(v -> {
            out.println("worker " + config.name() + " ready: slots=" + config.slots() + " labels=" + config.labels());
            out.flush();
        });
        agent.halted().onFailure(e -> halted.complete(WorkerMain.INVALID));
        Thread hook = new Thread(() -> {
            shutdown(agent, executor, vertx, io);
            store.close();
        }, "sluice-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        int code = halted.join();
        Runtime.getRuntime().removeShutdownHook(hook);
        close(executor, vertx, io);
        store.close();
        return code;
    }

    /**
     * Starts a clustered Vert.x alone on loopback (any port), with a consumer and a request, then
     * closes it: run under {@code -XX:ArchiveClassesAtExit} by {@code scripts/sluice-worker}, it
     * records the classes a worker loads at start-up in a CDS archive.
     */
    static void warmUp() throws Exception {
        ClusterOptions alone = new ClusterOptions("sluice-warm-up-" + UUID.randomUUID(), "127.0.0.1", 0, List.of(), false,
                Optional.empty());
        Vertx vertx = Clustering.start(alone).await(120, TimeUnit.SECONDS);
        try {
            vertx.eventBus().<io.vertx.core.json.JsonObject>consumer("sluice.warm-up", m -> m.reply(m.body())).completion()
                    .await(30, TimeUnit.SECONDS);
            vertx.eventBus().request("sluice.warm-up", new io.vertx.core.json.JsonObject().put("ok", true)).await(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    private void shutdown(WorkerAgent agent, LocalExecutor executor, Vertx vertx, ExecutorService io) {
        LOG.info("worker {} stopping: no new work; running steps have {} to finish", config.name(), config.grace());
        try {
            agent.drain(config.grace(), PATIENCE)
                    .await(config.grace().plus(LocalExecutor.DEFAULT_KILL_GRACE).plus(PATIENCE).toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("worker {}: drain interrupted: {}", config.name(), e.toString());
        }
        close(executor, vertx, io);
        LOG.info("worker {} stopped", config.name());
    }

    private void close(LocalExecutor executor, Vertx vertx, ExecutorService io) {
        executor.close();
        closeWatchdog.run(); // after the executor: its steps have ended
        try {
            vertx.close().await(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("leaving the cluster: {}", e.toString());
        }
        io.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "sluice-artifacts-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
