package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.sluice.engine.cluster.Member;
import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.scheduler.NewRun;
import dev.sluice.engine.scheduler.Takeover;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server and remote workers as separate clustered Vert.x instances in one JVM, on loopback:
 * label routing, inputs and outputs crossing the cluster, a lost worker's step finishing elsewhere.
 */
class ClusterServerTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private Store store;
    private ServerNode node;
    private int hazelcastPort;
    /** a cluster of this test's own: tests of other JVMs on this machine must not join it */
    private final String cluster = "test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

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

    /** A worker process's parts: a clustered Vert.x of its own and an agent. */
    private record Worker(String name, Vertx vertx, LocalExecutor executor, ExecutorService io) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            executor.close();
            vertx.close().await(30, TimeUnit.SECONDS);
            io.shutdownNow();
        }
    }

    private Worker worker(String name, String... labels) throws Exception {
        ClusterOptions options = new ClusterOptions(cluster, "127.0.0.1", 0, List.of("127.0.0.1:" + hazelcastPort), true, Optional.empty());
        Vertx vertx = Clustering.start(options).await(60, TimeUnit.SECONDS);
        Path root = dir.resolve(name);
        ContentStore store = new ContentStore(root.resolve("artifacts"));
        LocalExecutor executor = new LocalExecutor(store, root.resolve("work"), name, Duration.ofSeconds(1));
        ExecutorService io = Executors.newCachedThreadPool();
        WorkerAgent agent = new WorkerAgent(new AgentSettings(name + "-" + System.nanoTime(), name, List.of(labels), 2,
                Optional.of("s3cret"), "127.0.0.1", ProcessHandle.current().pid(), null), executor, new ArtifactClient(store, root.resolve("downloads"), io));
        vertx.deployVerticle(agent).await(30, TimeUnit.SECONDS);
        agent.registered().await(30, TimeUnit.SECONDS);
        Worker w = new Worker(name, vertx, executor, io);
        closing.add(w);
        return w;
    }

    private String run(String fixture, Map<String, String> env) throws Exception {
        String yaml = Files.readString(Path.of(getClass().getResource("cluster/" + fixture).toURI()));
        ParseResult parsed = PipelineLoader.parse(fixture, yaml, dir);
        assertThat(parsed.problems()).isEmpty();
        var version = store.savePipeline(parsed.pipeline().name(), yaml);
        Plan plan = Planner.plan(parsed.pipeline());
        Instant now = Instant.now();
        Change.CreateRun create = NewRun.create(NewRun.newId(now), version, plan, Map.of(), "manual", now, now, null);
        store.commit(List.of(create, dev.sluice.engine.scheduler.Provenances.capture(store, parsed.pipeline(), version, plan,
                create.run().id(), null)));
        node.start(plan, create.run(), create.tasks());
        return create.run().id();
    }

    private RunRecord awaitEnd(String runId) {
        await().atMost(Duration.ofSeconds(40)).until(() -> store.run(runId).orElseThrow().status().terminal());
        return store.run(runId).orElseThrow();
    }

    @Test
    void stepsGoToTheWorkersCarryingTheirLabelsAndOutputsCrossTheCluster() throws Exception {
        worker("gpu-box", "gpu");
        worker("etl-box", "big-mem");
        await().atMost(Duration.ofSeconds(10)).until(() -> node.members().stream().filter(m -> m.role().equals("worker")).count() == 2);

        RunRecord end = awaitEnd(run("routed.yaml", Map.of()));

        assertThat(end.status()).isEqualTo(RunState.SUCCEEDED);
        List<AttemptRecord> attempts = store.attempts(end.id());
        assertThat(attempts).filteredOn(a -> a.taskId().equals("train")).singleElement()
                .satisfies(a -> assertThat(a.worker()).startsWith("gpu-box"));
        assertThat(attempts).filteredOn(a -> a.taskId().equals("report")).singleElement()
                .satisfies(a -> assertThat(a.worker()).startsWith("etl-box"));
        assertThat(store.logChunks(end.id(), "report", 1, 0, 100)).extracting(c -> c.text()).anyMatch(t -> t.contains("trained"));
        assertThat(node.members()).extracting(Member::role).containsExactly("engine", "worker", "worker");
    }

    /** A {@code sluice-worker} process, killed with SIGKILL at the end of the test. */
    private Process workerProcess(String name, String labels) throws Exception {
        Path token = dir.resolve("join.token");
        Files.writeString(token, "s3cret\n");
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.sluice.worker.app.WorkerMain",
                "--join", "127.0.0.1:" + hazelcastPort, "--cluster-name", cluster, "--cluster-port", "0",
                "--name", name, "--labels", labels, "--slots", "1", "--work-dir", dir.resolve(name).toString(),
                "--token-file", token.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        closing.add(() -> p.destroyForcibly().waitFor());
        return p;
    }

    private String logs(String... workers) {
        StringBuilder all = new StringBuilder();
        for (String w : workers) {
            try {
                all.append("== ").append(w).append('\n').append(Files.readString(dir.resolve(w + ".log")));
            } catch (java.io.IOException e) {
                all.append("== ").append(w).append(": ").append(e).append('\n');
            }
        }
        return all.toString();
    }

    @Test
    void aKilledWorkersStepGetsANewAttemptOnAnotherWorker() throws Exception {
        Process first = workerProcess("gpu-1", "gpu");
        Process second = workerProcess("gpu-2", "gpu");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(node.members().stream()
                .filter(m -> m.role().equals("worker")).count()).as(() -> "workers joined; their logs:\n" + logs("gpu-1", "gpu-2")).isEqualTo(2));
        String runId = run("slow.yaml", Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dir.resolve("started")));
        String busy = store.attempts(runId).get(0).worker();
        Process lost = busy.startsWith("gpu-1") ? first : second;

        lost.destroyForcibly(); // kill -9 while its step runs

        RunRecord end = awaitEnd(runId);
        assertThat(end.status()).isEqualTo(RunState.SUCCEEDED);
        List<AttemptRecord> attempts = store.attempts(runId);
        assertThat(attempts).extracting(AttemptRecord::attempt, AttemptRecord::status, AttemptRecord::reason)
                .containsExactly(tuple(1, "FAILED", "worker lost"), tuple(2, "SUCCEEDED", null));
        assertThat(attempts.get(1).worker()).isNotEqualTo(busy);
        assertThat(attempts.get(0).counted()).as("a lost worker does not use up a retry").isFalse();
        Takeover.killLeftovers(runId); // the killed worker's step, still sleeping
    }

    @Test
    void aRemoteWorkerConsumesAModelFetchingItsFilesByHash() throws Exception {
        worker("gpu-box", "gpu");
        Worker cpu = worker("cpu-box", "cpu");
        await().atMost(Duration.ofSeconds(10)).until(() -> node.members().stream().filter(m -> m.role().equals("worker")).count() == 2);
        assertThat(awaitEnd(run("train-model.yaml", Map.of())).status()).isEqualTo(RunState.SUCCEEDED);

        RunRecord end = awaitEnd(run("use-model.yaml", Map.of()));

        assertThat(end.status()).as(store.log(end.id(), "score", 1)).isEqualTo(RunState.SUCCEEDED);
        assertThat(store.attempts(end.id()).get(0).worker()).startsWith("cpu-box");
        assertThat(store.metrics(end.id()).get("score")).containsEntry("version", 1.0);
        var used = store.outputs(end.id()).get("score").get(0);
        assertThat(Files.readString(dir.resolve("data/artifacts").resolve(used.sha256().substring(0, 2)).resolve(used.sha256())))
                .isEqualTo("{\"w\": 42}\none\n");
        assertThat(store.provenance(end.id()).orElseThrow().models()).extracting(p -> p.key() + "=" + p.model() + ":" + p.version())
                .containsExactlyInAnyOrder("clf=clf:1", "b=bundle:1");
        assertThat(store.inputs(end.id(), "score", 1)).extracting(a -> a.from() + "/" + a.path())
                .contains("models/clf/model.json", "models/b/one.txt");
    }
}
