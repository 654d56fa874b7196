package dev.sluice.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.retention.GarbageCollector.Report;
import dev.sluice.engine.store.OldRuns;
import dev.sluice.engine.store.RetentionPlan;
import dev.sluice.engine.store.RetentionPolicy;
import dev.sluice.engine.store.RunQuery;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import dev.sluice.worker.artifact.ContentStore;
import dev.sluice.worker.protocol.Artifact;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void aRealPassDeletesAndFreesExactlyWhatTheDryRunSaid() throws Exception {
        long t0 = System.nanoTime();
        OldRuns fixture = OldRuns.open(dir);
        List<String> old = fixture.add("etl", 1000, NOW.minus(Duration.ofDays(40)), Duration.ofMinutes(30), "SUCCEEDED", 4096);
        List<String> recent = fixture.add("etl", 5, NOW.minus(Duration.ofDays(2)), Duration.ofHours(1), "SUCCEEDED", 4096);
        List<String> active = fixture.add("etl", 1, NOW.minus(Duration.ofDays(30)), Duration.ofHours(1), "RUNNING", 4096);
        String orphan = fixture.store("left by a crash before its row".getBytes(StandardCharsets.UTF_8), NOW.minus(Duration.ofDays(9)));
        String fresh = fixture.store("written a moment ago, its row not yet committed".getBytes(StandardCharsets.UTF_8), NOW.minusSeconds(5));
        fixture.close();

        try (Store store = Stores.open(null, dir, CLOCK)) {
            ContentStore files = new ContentStore(dir.resolve("artifacts"));
            GarbageCollector gc = new GarbageCollector(store, files.root(), CLOCK);
            RetentionPolicy policy = new RetentionPolicy(Duration.ofDays(7), null, RetentionPolicy.DEFAULT_GRACE);
            Map<String, List<Artifact>> keptOutputs = outputsOf(store, recent, active);

            Report dry = gc.run(policy, true);
            assertThat(dry.runs()).isEqualTo(1000);
            assertThat(store.runs(new RunQuery(null, null, null, 2000))).hasSize(1006); // nothing deleted
            assertThat(dry.files().files()).isEqualTo(1000 * 2 + 1); // each run's model and report, and the orphan
            assertThat(dry.files().spared()).isEqualTo(1); // the fresh one

            Report real = gc.run(policy, false);
            assertThat(real.rows()).isEqualTo(dry.rows());
            assertThat(real.files()).isEqualTo(dry.files());
            assertThat(real.bytes()).isEqualTo(dry.bytes()).isGreaterThan(1000L * 4096);
            assertThat(real.rows()).containsEntry("runs", 1000L).containsEntry("attempts", 3000L)
                    .containsEntry("log_chunks", 6000L).containsEntry("run_events", 5000L).containsEntry("outputs", 3000L);

            assertThat(store.runs(new RunQuery(null, null, null, 2000))).extracting(RunRecord::id)
                    .containsExactlyInAnyOrderElementsOf(concat(recent, active));
            assertThat(old).allSatisfy(id -> assertThat(store.run(id)).isEmpty());
            // no kept run lost an output: the data.csv every run shares stays, its row now names a kept run
            keptOutputs.values().stream().flatMap(List::stream)
                    .forEach(a -> assertThat(files.contains(a.sha256())).as(a.path()).isTrue());
            assertThat(outputsOf(store, recent, active)).isEqualTo(keptOutputs);
            assertThat(files.contains(orphan)).isFalse();
            assertThat(files.contains(fresh)).isTrue();

            System.out.printf("1000 old runs: generated in %d ms; dry run %d ms, real %d ms: %s%n",
                    (System.nanoTime() - t0) / 1_000_000 - dry.took().toMillis() - real.took().toMillis(),
                    dry.took().toMillis(), real.took().toMillis(), real.rows());
            Report again = gc.run(policy, true);
            assertThat(again.runs()).isZero();
            assertThat(again.files().files()).isZero();
        }
    }

    @Test
    void keepsTheNewestRunsOfEachPipeline() {
        OldRuns fixture = OldRuns.open(dir);
        List<String> etl = fixture.add("etl", 30, NOW.minus(Duration.ofDays(3)), Duration.ofMinutes(10), "SUCCEEDED", 128);
        List<String> train = fixture.add("train", 4, NOW.minus(Duration.ofDays(3)), Duration.ofMinutes(10), "FAILED", 128);
        fixture.close();
        try (Store store = Stores.open(null, dir, CLOCK)) {
            GarbageCollector gc = new GarbageCollector(store, dir.resolve("artifacts"), CLOCK);
            Report r = gc.run(new RetentionPolicy(null, 10, Duration.ZERO), false);
            assertThat(r.plan().runsByPipeline()).isEqualTo(Map.of("etl", 20));
            assertThat(store.runs(new RunQuery("etl", null, null, 100))).extracting(RunRecord::id)
                    .containsExactlyInAnyOrderElementsOf(etl.subList(20, 30));
            assertThat(store.runs(new RunQuery("train", null, null, 100))).hasSize(4);

            // with an age too: only runs beyond the newest 10 AND older than it go
            Report none = gc.run(new RetentionPolicy(Duration.ofDays(7), 0, Duration.ZERO), true);
            assertThat(none.runs()).isZero();
            assertThat(train).hasSize(4);
        }
    }

    @Test
    void keepsEveryArtifactAModelVersionNeedsAndTheRunItCameFrom() {
        OldRuns fixture = OldRuns.open(dir);
        List<String> old = fixture.add("train", 20, NOW.minus(Duration.ofDays(60)), Duration.ofHours(1), "SUCCEEDED", 256);
        fixture.close();
        try (Store store = Stores.open(null, dir, CLOCK)) {
            Artifact model3 = model(store, old.get(3));
            Artifact model7 = model(store, old.get(7));
            OldRuns again = OldRuns.open(dir);
            again.sql("INSERT INTO models (name, created_at, updated_at) VALUES ('clf', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                    "INSERT INTO model_versions (model, version, sha256, kind, size, run_id, task_id, attempt, params, matrix, metrics,"
                            + " tags, created_at) VALUES ('clf', 1, '" + model3.sha256() + "', 'file', 256, '" + old.get(3)
                            + "', 'train', 1, '{}', '{}', '{}', '{}', CURRENT_TIMESTAMP)",
                    "INSERT INTO model_version_files VALUES ('clf', 1, 'model.bin', '" + model3.sha256() + "', 256)",
                    // a version whose run is not recorded (registered from a file): its artifact is a root all the same
                    "INSERT INTO model_versions (model, version, sha256, kind, size, params, matrix, metrics, tags, created_at)"
                            + " VALUES ('clf', 2, '" + model7.sha256() + "', 'file', 256, '{}', '{}', '{}', '{}', CURRENT_TIMESTAMP)",
                    "INSERT INTO model_version_files VALUES ('clf', 2, 'model.bin', '" + model7.sha256() + "', 256)");
            again.close();

            GarbageCollector gc = new GarbageCollector(store, dir.resolve("artifacts"), CLOCK);
            RetentionPolicy policy = new RetentionPolicy(Duration.ofDays(7), null, Duration.ZERO);
            Report dry = gc.run(policy, true);
            Report real = gc.run(policy, false);
            assertThat(real.rows()).isEqualTo(dry.rows());
            assertThat(real.bytes()).isEqualTo(dry.bytes());
            // run 3 is named by a version; run 7 produced an artifact a version needs and no kept run names
            assertThat(real.plan().pinned()).isEqualTo(2);
            assertThat(store.runs(new RunQuery(null, null, null, 100))).extracting(RunRecord::id)
                    .containsExactlyInAnyOrder(old.get(3), old.get(7));
            ContentStore files = new ContentStore(dir.resolve("artifacts"));
            assertThat(files.contains(model3.sha256())).isTrue();
            assertThat(files.contains(model7.sha256())).isTrue();
        }
    }

    @Test
    void aRunRetriedAfterThePlanStays() {
        OldRuns fixture = OldRuns.open(dir);
        List<String> old = fixture.add("etl", 3, NOW.minus(Duration.ofDays(60)), Duration.ofHours(1), "FAILED", 64);
        fixture.close();
        try (Store store = Stores.open(null, dir, CLOCK)) {
            RetentionPlan plan = store.collector().plan(new RetentionPolicy(Duration.ofDays(7), null, Duration.ZERO), NOW);
            assertThat(plan.runs()).containsExactlyElementsOf(old);
            OldRuns again = OldRuns.open(dir);
            again.sql("UPDATE runs SET status = 'RUNNING', ended_at = NULL WHERE id = '" + old.get(1) + "'");
            again.close();
            Map<String, Long> deleted = store.collector().delete(plan);
            assertThat(deleted).containsEntry("runs", 2L);
            assertThat(store.run(old.get(1))).isPresent();
            assertThat(store.tasks(old.get(1))).hasSize(3);
        }
    }

    @Test
    void aContentTouchedAfterTheListingIsPutBack() throws Exception {
        ContentStore files = new ContentStore(dir.resolve("artifacts"));
        Path source = Files.writeString(dir.resolve("x"), "reused by a cache hit");
        Artifact a = files.put("t", "x", source);
        Files.setLastModifiedTime(files.path(a.sha256()), java.nio.file.attribute.FileTime.from(NOW.minus(Duration.ofDays(3))));
        ArtifactSweeper sweeper = new ArtifactSweeper(files.root());
        // a put of the same bytes marks the content in use: a sweep after it spares the content
        files.put("u", "x", source);
        ArtifactSweeper.Swept swept = sweeper.sweep(sha -> false, NOW.minus(Duration.ofHours(1)), false);
        assertThat(swept.files()).isZero();
        assertThat(swept.spared()).isEqualTo(1);
        assertThat(files.contains(a.sha256())).isTrue();
        assertThat(files.touch(a.sha256())).isTrue();
        assertThat(files.touch("0".repeat(64))).isFalse();
    }

    private static Artifact model(Store store, String runId) {
        return store.outputs(runId).get("train").get(0);
    }

    private static Map<String, List<Artifact>> outputsOf(Store store, List<String> a, List<String> b) {
        return concat(a, b).stream().collect(Collectors.toMap(id -> id, id -> store.outputs(id).values().stream()
                .flatMap(List::stream).toList()));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

}
