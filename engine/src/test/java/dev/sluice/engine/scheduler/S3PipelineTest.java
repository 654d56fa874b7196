package dev.sluice.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.app.S3TestServer;
import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.expr.Expressions;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import dev.sluice.worker.artifact.S3ArtifactStore;
import dev.sluice.worker.artifact.S3Location;
import dev.sluice.worker.exec.LocalExecutor;
import dev.sluice.worker.protocol.Artifact;
import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.LogSink;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A pipeline whose outputs live in an S3-compatible store (s3proxy in this JVM): its two steps run
 * on two "machines" with caches of their own, so the downstream step can only get its input from
 * the bucket.
 */
class S3PipelineTest {

    @TempDir
    Path dir;

    private S3TestServer s3;
    private Store store;
    private final List<AutoCloseable> open = new java.util.ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        s3 = new S3TestServer(Files.createDirectories(dir.resolve("s3")), "artifacts");
        store = Stores.open(null, dir.resolve("data"));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
        store.close();
        s3.close();
    }

    private S3ArtifactStore bucket(String cache) {
        S3ArtifactStore a = new S3ArtifactStore(s3.settings().client(), S3Location.parse("s3://artifacts/team/sluice"), dir.resolve(cache),
                S3ArtifactStore.DEFAULT_PART_SIZE);
        open.add(a);
        return a;
    }

    private LocalDispatcher machine(String name) {
        LocalExecutor executor = new LocalExecutor(bucket(name + "-cache"), dir.resolve(name + "-work-" + java.util.UUID.randomUUID()), name,
                Duration.ofMillis(500));
        open.add(executor::close);
        return new LocalDispatcher(executor, name, 1, Set.of(name));
    }

    /** Runs a pipeline to its end on machines {@code a} and {@code b}, the scheduler on its own cache. */
    private String run(String yaml, String engineCache) throws Exception {
        ParseResult parsed = PipelineLoader.parse("p.yaml", yaml, dir);
        assertThat(parsed.problems()).isEmpty();
        Plan plan = Planner.plan(parsed.pipeline());
        var version = store.savePipeline(parsed.pipeline().name(), yaml);
        Instant now = Instant.now();
        Change.CreateRun create = NewRun.create(NewRun.newId(now), version, plan, Map.of(), "test", now, now, null);
        store.commit(List.of(create));
        try (Scheduler scheduler = new Scheduler(store, new TwoMachines(machine("a"), machine("b")), bucket(engineCache),
                new Expressions(), Clock.systemUTC(), "test", TaskRequest.DEFAULT_MAX_LOG_BYTES, RunListener.NONE)) {
            RunRecord end = scheduler.start(plan, create.run(), create.tasks()).get(60, TimeUnit.SECONDS);
            assertThat(end.status()).as("%s", store.attempts(create.run().id())).isEqualTo(RunState.SUCCEEDED);
        }
        return create.run().id();
    }

    @Test
    void outputsLandInTheBucketAndADownstreamStepOnAnotherMachineReadsThem() throws Exception {
        String yaml = """
                name: s3-flow
                steps:
                  - id: train
                    worker: { labels: [a] }
                    outputs: [model.bin]
                    run: head -c 300000 /dev/urandom > "$SLUICE_OUTPUTS/model.bin"
                  - id: score
                    needs: [train]
                    worker: { labels: [b] }
                    outputs: [check.txt]
                    run: sha256sum "$SLUICE_INPUTS/train/model.bin" | cut -d' ' -f1 > "$SLUICE_OUTPUTS/check.txt"
                """;

        String runId = run(yaml, "engine-cache");

        S3ArtifactStore engine = bucket("engine-cache");
        Map<String, List<Artifact>> outputs = store.outputs(runId);
        Artifact model = outputs.get("train").get(0);
        Artifact check = outputs.get("score").get(0);
        assertThat(model.size()).isEqualTo(300_000);
        assertThat(Files.readString(engine.localFile(check.sha256())).strip()).isEqualTo(model.sha256());
        try (S3Client admin = s3.settings().client()) {
            assertThat(admin.listObjectsV2Paginator(r -> r.bucket("artifacts").prefix("team/sluice/")).contents().stream()
                    .map(S3Object::key).filter(k -> !k.endsWith("/")))
                    .containsExactlyInAnyOrder(key(model), key(check));
        }
        // b got the model from the bucket (into its cache), never from a's folder
        assertThat(dir.resolve("b-cache").resolve(model.sha256().substring(0, 2)).resolve(model.sha256())).exists();
    }

    @Test
    void aCacheHitNeedsItsOutputsInTheBucket() throws Exception {
        String yaml = """
                name: cached
                steps:
                  - id: compute
                    worker: { labels: [a] }
                    outputs: [answer.txt]
                    cache: true
                    run: echo 42 > "$SLUICE_OUTPUTS/answer.txt"
                """;
        String first = run(yaml, "engine-1");
        String second = run(yaml, "engine-2");
        Artifact answer = store.outputs(first).get("compute").get(0);
        try (S3Client admin = s3.settings().client()) {
            admin.deleteObject(r -> r.bucket("artifacts").key(key(answer)));
        }
        String third = run(yaml, "engine-3");

        assertThat(store.attempts(first).get(0).cached()).isFalse();
        assertThat(store.attempts(second).get(0).cached()).as("served from the cache: its output is in the bucket").isTrue();
        assertThat(store.attempts(third).get(0).cached()).as("run again: its output is gone from the bucket").isFalse();
        try (S3Client admin = s3.settings().client()) {
            assertThat(admin.headObject(r -> r.bucket("artifacts").key(key(answer))).contentLength()).isEqualTo(3);
        }
    }

    private static String key(Artifact a) {
        return "team/sluice/" + a.sha256().substring(0, 2) + "/" + a.sha256();
    }

    /** Two embedded workers, chosen by label: steps labelled {@code a} run on the first, the others on the second. */
    private record TwoMachines(LocalDispatcher a, LocalDispatcher b) implements Dispatcher {
        @Override
        public Placement place(List<String> labels) {
            return a.carries(labels) ? a.place(labels) : b.place(labels);
        }

        @Override
        public CompletableFuture<TaskResult> dispatch(TaskRequest request, Placement placement, LogSink sink) {
            return (placement.worker().equals(a.worker()) ? a : b).dispatch(request, placement, sink);
        }

        @Override
        public void release(Placement placement) {
            (placement.worker().equals(a.worker()) ? a : b).release(placement);
        }

        @Override
        public boolean cancel(AttemptKey key) {
            return a.cancel(key) || b.cancel(key);
        }

        @Override
        public int freeSlots() {
            return a.freeSlots() + b.freeSlots();
        }
    }
}
