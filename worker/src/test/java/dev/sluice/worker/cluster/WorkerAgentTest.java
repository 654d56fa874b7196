package dev.sluice.worker.cluster;

import dev.sluice.worker.artifact.ContentStore;
import dev.sluice.worker.exec.LocalExecutor;
import dev.sluice.worker.protocol.Artifact;
import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.Wire;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The worker agent against a fake leader on a plain Vert.x event bus and HTTP server. */
class WorkerAgentTest {

    private static final AgentSettings.Timing FAST = new AgentSettings.Timing(Duration.ofMillis(50), Duration.ofMillis(200),
            Duration.ofMillis(500), Duration.ofMillis(50));

    @TempDir
    Path dir;

    private FakeLeader leader;
    private LocalExecutor executor;
    private ExecutorService io;
    private WorkerAgent agent;
    private Path workdir;

    @BeforeEach
    void setUp() throws Exception {
        leader = new FakeLeader();
        workdir = Files.createDirectories(dir.resolve("workdir"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (executor != null) executor.close();
        if (io != null) io.shutdownNow();
        leader.close();
    }

    private void startAgent(int slots, Optional<String> token) throws Exception {
        startAgent(slots, token, Duration.ofSeconds(1));
    }

    private void startAgent(int slots, Optional<String> token, Duration killGrace) throws Exception {
        ContentStore store = new ContentStore(dir.resolve("store"));
        executor = new LocalExecutor(store, dir.resolve("attempts"), "w-test", killGrace);
        io = Executors.newCachedThreadPool();
        agent = new WorkerAgent(new AgentSettings("w1", "w-test", List.of("gpu"), slots, token, "127.0.0.1", 42, FAST),
                executor, new ArtifactClient(store, dir.resolve("downloads"), io));
        leader.vertx.deployVerticle(agent).await(10, TimeUnit.SECONDS);
    }

    private void startAgent() throws Exception {
        startAgent(2, Optional.of("join-secret"));
        agent.registered().await(10, TimeUnit.SECONDS);
    }

    private TaskRequest request(String taskId, String command, List<String> outputs, List<Artifact> inputs) {
        return new TaskRequest(new AttemptKey("r1", taskId, 1), command, workdir.toString(), Map.of(), outputs, inputs, null, 0);
    }

    private JsonObject dispatch(TaskRequest request) throws Exception {
        JsonObject message = new JsonObject().put("key", Wire.toJson(request.key())).put("request", Wire.toJson(request));
        return leader.vertx.eventBus().<JsonObject>request(Wire.dispatchAddress("w1"), message).await(10, TimeUnit.SECONDS).body();
    }

    private void cancel(TaskRequest request) throws Exception {
        leader.vertx.eventBus().request(Wire.cancelAddress("w1"), new JsonObject().put("key", Wire.toJson(request.key())))
                .await(10, TimeUnit.SECONDS);
    }

    @Test
    void registersThenRunsADispatchedStepAndReportsItsResultAndLog() throws Exception {
        startAgent();
        JsonObject registration = leader.registrations.get(0);
        assertThat(registration.getString("workerId")).isEqualTo("w1");
        assertThat(registration.getString("name")).isEqualTo("w-test");
        assertThat(registration.getJsonArray("labels").getList()).containsExactly("gpu");
        assertThat(registration.getInteger("slots")).isEqualTo(2);
        assertThat(registration.getString("token")).isEqualTo("join-secret");
        assertThat(registration.getJsonArray("running")).isEmpty();

        assertThat(dispatch(request("hello", "echo hello from $SLUICE_OUTPUTS", List.of(), List.of())))
                .isEqualTo(new JsonObject().put("accepted", true));

        await().atMost(Duration.ofSeconds(15)).until(() -> leader.resultOf("hello") != null);
        assertThat(leader.resultOf("hello").getString("outcome")).isEqualTo("SUCCEEDED");
        assertThat(leader.logText()).anyMatch(line -> line.startsWith("hello from /"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !leader.heartbeats.isEmpty());
    }

    @Test
    void aDuplicateDispatchIsAcknowledgedAndStartsNothing() throws Exception {
        startAgent();
        Path counter = dir.resolve("counter");
        TaskRequest request = request("once", "echo started >> " + counter + "; sleep 1", List.of(), List.of());

        assertThat(dispatch(request).getBoolean("accepted")).isTrue();
        assertThat(dispatch(request).getBoolean("accepted")).isTrue();
        await().atMost(Duration.ofSeconds(15)).until(() -> leader.resultOf("once") != null);
        assertThat(dispatch(request).getBoolean("accepted")).isTrue(); // after it finished, too

        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(counter));
        assertThat(Files.readAllLines(counter)).containsExactly("started");
        assertThat(leader.results).hasSize(1);
    }

    @Test
    void answersBusyWhenEverySlotIsTakenAndACancelEndsTheStep() throws Exception {
        startAgent(1, Optional.empty());
        agent.registered().await(10, TimeUnit.SECONDS);
        TaskRequest longStep = request("long", "sleep 30", List.of(), List.of());

        assertThat(dispatch(longStep).getBoolean("accepted")).isTrue();
        assertThat(dispatch(request("other", "true", List.of(), List.of())))
                .isEqualTo(new JsonObject().put("accepted", false).put("reason", "busy"));

        cancel(longStep);
        await().atMost(Duration.ofSeconds(15)).until(() -> leader.resultOf("long") != null);
        assertThat(leader.resultOf("long").getString("outcome")).isEqualTo("CANCELLED");
        assertThat(dispatch(request("other", "true", List.of(), List.of())).getBoolean("accepted")).isTrue();
    }

    @Test
    void uploadsOutputsBeforeTheResultAndResendsTheResultUntilAcknowledged() throws Exception {
        startAgent();
        leader.uploadsToRefuse.set(1);
        leader.resultsToIgnore.set(2);

        dispatch(request("train", "echo weights > $SLUICE_OUTPUTS/model.bin", List.of("model.bin"), List.of()));

        await().atMost(Duration.ofSeconds(20)).until(() -> leader.results.size() == 3);
        String sha = FakeLeader.sha256("weights\n".getBytes(StandardCharsets.UTF_8));
        assertThat(leader.uploaded).containsOnlyKeys(sha);
        assertThat(leader.events).containsExactly("upload:" + sha, "result:train#1", "result:train#1", "result:train#1");
        JsonObject result = leader.resultOf("train");
        assertThat(result.getString("outcome")).isEqualTo("SUCCEEDED");
        assertThat(Wire.taskResult(result).outputs()).extracting(Artifact::sha256).containsExactly(sha);
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3)).until(() -> leader.results.size() == 3);
    }

    @Test
    void downloadsMissingInputsAndFailsTheAttemptOnAWrongHash() throws Exception {
        startAgent();
        byte[] data = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        String good = leader.serve(FakeLeader.sha256(data), data);
        String lie = leader.serve(FakeLeader.sha256("the real content".getBytes(StandardCharsets.UTF_8)), "tampered".getBytes(StandardCharsets.UTF_8));

        dispatch(request("use", "cp $SLUICE_INPUTS/prep/data.csv $SLUICE_OUTPUTS/copy.csv", List.of("copy.csv"),
                List.of(new Artifact("prep", "data.csv", good, data.length))));
        dispatch(request("bad", "true", List.of(), List.of(new Artifact("prep", "other.csv", lie, 16))));

        await().atMost(Duration.ofSeconds(15)).until(() -> leader.resultOf("use") != null && leader.resultOf("bad") != null);
        assertThat(leader.resultOf("use").getString("outcome")).isEqualTo("SUCCEEDED");
        assertThat(leader.uploaded).containsKey(good);
        JsonObject bad = leader.resultOf("bad");
        assertThat(bad.getString("outcome")).isEqualTo("FAILED");
        assertThat(bad.getString("error")).startsWith("could not download inputs: input prep/other.csv: sha256 mismatch: expected " + lie);
    }

    @Test
    void losingTheLeaseKillsTheRunningStepAndSendsNoResult() throws Exception {
        leader.leaseMillis = 1500;
        startAgent();
        Path pidFile = dir.resolve("pid");
        dispatch(request("stuck", "echo $$ > " + pidFile + "; exec sleep 30", List.of(), List.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        int registrations = leader.registrations.size();

        leader.heartbeatAnswer = "silent"; // the engine stops answering: after leaseMillis the lease is gone

        await().atMost(Duration.ofSeconds(15)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        await().atMost(Duration.ofSeconds(10)).until(() -> leader.registrations.size() > registrations);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> leader.results.isEmpty());
        assertThat(leader.registrations.get(leader.registrations.size() - 1).getJsonArray("running")).isEmpty();
    }

    @Test
    void aLostLeasesStepThatIgnoresTermIsKilledWithinTheEnginesKillGraceBeforeTheWorkerRegistersAgain() throws Exception {
        leader.leaseMillis = 1500;
        leader.killGraceMillis = 500; // the executor's own grace is 60 s: the engine's must win
        startAgent(2, Optional.of("join-secret"), Duration.ofSeconds(60));
        agent.registered().await(10, TimeUnit.SECONDS);
        Path pidFile = dir.resolve("pid");
        dispatch(request("stubborn", "trap '' TERM; echo $$ > " + pidFile + "; while :; do sleep 0.1; done", List.of(), List.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        int registrations = leader.registrations.size();

        leader.heartbeatAnswer = "silent";

        await().atMost(Duration.ofSeconds(15)).until(() -> leader.registrations.size() > registrations);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("the lost lease's step is dead before the worker registers again").isFalse();
        leader.heartbeatAnswer = "ok";
    }

    @Test
    void registersAgainWhenTheEngineNoLongerKnowsIt() throws Exception {
        startAgent();
        leader.heartbeatAnswer = "unknown";

        await().atMost(Duration.ofSeconds(10)).until(() -> leader.registrations.size() >= 2);
        leader.heartbeatAnswer = "ok";
        assertThat(leader.registrations).allMatch(r -> r.getString("workerId").equals("w1"));
    }

    @Test
    void stopsWithAClearMessageWhenTheJoinTokenIsRefused() throws Exception {
        leader.registerFailure = 401;
        startAgent(2, Optional.of("wrong"));

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.halted().failed());
        Throwable failure = agent.halted().cause();
        assertThat(failure).hasMessageContaining("refused this worker's join token").hasMessageContaining("--token-file");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> leader.registrations.size() == 1);
    }

    @Test
    void drainingLetsTheRunningStepFinishAndRefusesNewWork() throws Exception {
        startAgent();
        dispatch(request("last", "sleep 0.5; echo done", List.of(), List.of()));

        var drained = agent.drain(Duration.ofSeconds(20), Duration.ofSeconds(5));
        assertThat(dispatch(request("late", "true", List.of(), List.of())))
                .isEqualTo(new JsonObject().put("accepted", false).put("reason", "draining"));

        drained.await(20, TimeUnit.SECONDS);
        assertThat(leader.resultOf("last").getString("outcome")).isEqualTo("SUCCEEDED");
    }
}
