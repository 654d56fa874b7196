package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.scheduler.NewRun;
import dev.sluice.engine.store.AttemptRecord;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.worker.artifact.ContentStore;
import dev.sluice.worker.cluster.AgentSettings;
import dev.sluice.worker.cluster.ArtifactClient;
import dev.sluice.worker.cluster.ClusterOptions;
import dev.sluice.worker.cluster.Clustering;
import dev.sluice.worker.cluster.WorkerAgent;
import dev.sluice.worker.exec.LocalExecutor;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fencing: a remote {@code sluice-worker} JVM frozen by SIGSTOP mid-step. Its watchdog (a process
 * outside the JVM) ends the step when the lease runs out; the engine gives the step a new attempt on
 * another worker (one in this JVM) only after that, so the two attempts never overlap (checked from the timestamps
 * the step writes itself); after SIGCONT the frozen worker reports nothing the engine accepts and
 * the run ends SUCCEEDED.
 */
class FrozenWorkerTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private Store store;
    private ServerNode node;
    private int hazelcastPort;
    private final String cluster = "frozen-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    @BeforeEach
    void startServer() throws Exception {
        ClusteredServer server = new ClusteredServer(dir, cluster);
        closing.add(server);
        store = server.store;
        node = server.node;
        hazelcastPort = server.hazelcastPort;
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    }

    @Test
    void aFrozenWorkersStepIsKilledBeforeItsNextAttemptStarts() throws Exception {
        Process frozen = workerProcess("gpu-1");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(node.members().stream()
                .filter(m -> m.role().equals("worker")).count()).as(() -> "worker joined; its log:\n" + logs()).isEqualTo(1));
        String runId = run("frozen.yaml");
        Path ticks1 = dir.resolve("ticks.1");
        Path ticks2 = dir.resolve("ticks.2");
        await().atMost(Duration.ofSeconds(20)).until(() -> lines(ticks1).size() >= 5);
        assertThat(store.attempts(runId).get(0).worker()).startsWith("gpu-1");
        inProcessWorker("gpu-2"); // where the next attempt goes (one JVM start fewer than a second process)

        long stoppedAt = wallNanos();
        signal("STOP", frozen.pid());
        try {
            await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(lines(ticks2))
                    .as(() -> "a second attempt; logs:\n" + logs()).isNotEmpty());
        } finally {
            signal("CONT", frozen.pid()); // while the second attempt runs: the woken worker must not report the first
        }
        RunRecord end = awaitEnd(runId);

        assertThat(end.status()).as(() -> logs()).isEqualTo(RunState.SUCCEEDED);
        assertThat(store.attempts(runId)).extracting(AttemptRecord::attempt, AttemptRecord::status, AttemptRecord::reason)
                .containsExactly(tuple(1, "FAILED", "worker lost"), tuple(2, "SUCCEEDED", null));
        long lastOfFirst = lines(ticks1).stream().mapToLong(Long::parseLong).max().orElseThrow();
        long firstOfSecond = lines(ticks2).stream().mapToLong(Long::parseLong).min().orElseThrow();
        System.out.printf("SIGSTOP -> first attempt's last tick %.2f s, -> second attempt's first tick %.2f s, gap %.2f s%n",
                (lastOfFirst - stoppedAt) / 1e9, (firstOfSecond - stoppedAt) / 1e9, (firstOfSecond - lastOfFirst) / 1e9);
        assertThat(lastOfFirst).as("the first attempt ended before the second started").isLessThan(firstOfSecond);
        String cookie = Files.readString(dir.resolve("cookie.1")).trim();
        await().atMost(Duration.ofSeconds(10)).until(() -> carriers(cookie).isEmpty());
    }

    private static long wallNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static void signal(String sig, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor()).isZero();
    }

    private static List<String> lines(Path file) throws IOException {
        if (!Files.exists(file)) return List.of();
        return Files.readAllLines(file).stream().filter(l -> l.matches("\\d+")).toList();
    }

    /** Processes whose environment holds {@code SLUICE_ATTEMPT_COOKIE=cookie}. */
    private static List<Path> carriers(String cookie) throws IOException {
        byte[] needle = ("SLUICE_ATTEMPT_COOKIE=" + cookie + "\0").getBytes(StandardCharsets.US_ASCII);
        List<Path> found = new ArrayList<>();
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            for (Path p : all.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    byte[] env = Files.readAllBytes(p.resolve("environ"));
                    if (indexOf(env, needle) >= 0) found.add(p);
                } catch (IOException e) {
                    // gone
                }
            }
        }
        return found;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            if (i > 0 && hay[i - 1] != 0) continue;
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    /** A worker in this JVM: a clustered Vert.x of its own and an agent (no watchdog: it is not the one frozen). */
    private void inProcessWorker(String name) throws Exception {
        ClusterOptions options = new ClusterOptions(cluster, "127.0.0.1", 0, List.of("127.0.0.1:" + hazelcastPort), true, Optional.empty());
        Vertx vertx = Clustering.start(options).await(60, TimeUnit.SECONDS);
        Path root = dir.resolve(name);
        ContentStore store = new ContentStore(root.resolve("artifacts"));
        LocalExecutor executor = new LocalExecutor(store, root.resolve("work"), name, Duration.ofSeconds(1));
        ExecutorService io = Executors.newCachedThreadPool();
        closing.add(() -> {
            executor.close();
            vertx.close().await(30, TimeUnit.SECONDS);
            io.shutdownNow();
        });
        WorkerAgent agent = new WorkerAgent(new AgentSettings(name + "-" + System.nanoTime(), name, List.of("gpu"), 1,
                Optional.of("s3cret"), "127.0.0.1", ProcessHandle.current().pid(), null), executor,
                new ArtifactClient(store, root.resolve("downloads"), io));
        vertx.deployVerticle(agent).await(30, TimeUnit.SECONDS);
        agent.registered().await(30, TimeUnit.SECONDS);
    }

    private Process workerProcess(String name) throws Exception {
        Path token = dir.resolve("join.token");
        Files.writeString(token, "s3cret\n");
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.sluice.worker.app.WorkerMain",
                "--join", "127.0.0.1:" + hazelcastPort, "--cluster-name", cluster, "--cluster-port", "0",
                "--name", name, "--labels", "gpu", "--slots", "1", "--work-dir", dir.resolve(name).toString(),
                "--token-file", token.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        closing.add(() -> {
            new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start().waitFor();
            p.destroyForcibly().waitFor();
        });
        return p;
    }

    private String logs() {
        StringBuilder all = new StringBuilder();
        for (String w : List.of("gpu-1")) {
            try {
                all.append("== ").append(w).append('\n').append(Files.readString(dir.resolve(w + ".log")));
                Path wd = dir.resolve(w).resolve("watchdog/watchdog.log");
                if (Files.exists(wd)) all.append("== ").append(w).append(" watchdog\n").append(Files.readString(wd));
            } catch (IOException e) {
                all.append("== ").append(w).append(": ").append(e).append('\n');
            }
        }
        return all.toString();
    }

    private String run(String fixture) throws Exception {
        String yaml = Files.readString(Path.of(getClass().getResource("cluster/" + fixture).toURI()));
        ParseResult parsed = PipelineLoader.parse(fixture, yaml, dir);
        assertThat(parsed.problems()).isEmpty();
        var version = store.savePipeline(parsed.pipeline().name(), yaml);
        Plan plan = Planner.plan(parsed.pipeline());
        Instant now = Instant.now();
        Change.CreateRun create = NewRun.create(NewRun.newId(now), version, plan, Map.of(), "manual", now, now, null);
        store.commit(List.of(create));
        node.start(plan, create.run(), create.tasks());
        return create.run().id();
    }

    private RunRecord awaitEnd(String runId) {
        await().atMost(Duration.ofSeconds(40)).until(() -> store.run(runId).orElseThrow().status().terminal());
        return store.run(runId).orElseThrow();
    }
}
