package dev.sluice.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.store.OldRuns;
import dev.sluice.engine.store.RetentionPolicy;
import dev.sluice.engine.store.RunQuery;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionServiceTest {

    @TempDir
    Path dir;

    @Test
    void collectsOnlyWhileThisServerLeads() {
        Instant now = Instant.now();
        OldRuns fixture = OldRuns.open(dir);
        fixture.add("etl", 12, now.minus(Duration.ofDays(40)), Duration.ofHours(1), "SUCCEEDED", 64);
        fixture.close();
        AtomicBoolean leading = new AtomicBoolean(false);
        try (Store store = Stores.open(null, dir, Clock.systemUTC());
                RetentionService service = new RetentionService(new GarbageCollector(store, dir.resolve("artifacts"), Clock.systemUTC()),
                        new RetentionPolicy(Duration.ofDays(30), 2, RetentionPolicy.DEFAULT_GRACE), leading::get)) {
            assertThat(service.pass()).isNull();
            assertThat(store.runs(new RunQuery(null, null, null, 100))).hasSize(12);
            leading.set(true);
            assertThat(service.pass().runs()).isEqualTo(10);
            assertThat(store.runs(new RunQuery(null, null, null, 100))).hasSize(2);
            assertThat(service.pass().runs()).isZero();
        }
    }
}
