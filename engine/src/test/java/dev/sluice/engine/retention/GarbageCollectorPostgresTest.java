package dev.sluice.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.retention.GarbageCollector.Report;
import dev.sluice.engine.store.OldRuns;
import dev.sluice.engine.store.RetentionPolicy;
import dev.sluice.engine.store.RunQuery;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import dev.sluice.worker.artifact.ContentStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention on PostgreSQL: the foreign keys it follows are read from PostgreSQL's catalog, not H2's. */
class GarbageCollectorPostgresTest {

    @TempDir
    Path dir;

    @Test
    void deletesOldRunsOnPostgresAsTheDryRunSaid() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE gc");
            }
            String url = postgres.getJdbcUrl("postgres", "gc");
            Instant now = Instant.now();
            OldRuns fixture = OldRuns.open(url, dir);
            List<String> old = fixture.add("etl", 60, now.minus(Duration.ofDays(30)), Duration.ofHours(1), "SUCCEEDED", 1024);
            List<String> recent = fixture.add("etl", 3, now.minus(Duration.ofDays(1)), Duration.ofHours(1), "SUCCEEDED", 1024);
            fixture.sql("INSERT INTO models (name, created_at, updated_at) VALUES ('clf', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                    "INSERT INTO model_versions (model, version, sha256, kind, size, run_id, task_id, attempt, params, matrix, metrics,"
                            + " tags, created_at) VALUES ('clf', 1, '" + "a".repeat(64) + "', 'file', 1, '" + old.get(0)
                            + "', 'train', 1, '{}', '{}', '{}', '{}', CURRENT_TIMESTAMP)");
            fixture.close();
            try (Store store = Stores.open(url, null, Clock.systemUTC())) {
                GarbageCollector gc = new GarbageCollector(store, dir.resolve("artifacts"), Clock.systemUTC());
                RetentionPolicy policy = new RetentionPolicy(Duration.ofDays(7), null, RetentionPolicy.DEFAULT_GRACE);
                Report dry = gc.run(policy, true);
                Report real = gc.run(policy, false);
                assertThat(real.rows()).isEqualTo(dry.rows()).containsEntry("runs", 59L).containsEntry("log_chunks", 59L * 6);
                assertThat(real.bytes()).isEqualTo(dry.bytes()).isGreaterThan(59 * 1024L);
                assertThat(store.runs(new RunQuery(null, null, null, 100))).extracting(RunRecord::id)
                        .containsExactlyInAnyOrder(old.get(0), recent.get(0), recent.get(1), recent.get(2));
                ContentStore files = new ContentStore(dir.resolve("artifacts"));
                for (String id : List.of(old.get(0), recent.get(0))) {
                    store.outputs(id).values().forEach(list -> list.forEach(a -> assertThat(files.contains(a.sha256())).isTrue()));
                }
            }
        }
    }
}
