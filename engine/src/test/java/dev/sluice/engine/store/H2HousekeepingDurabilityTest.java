package dev.sluice.engine.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link H2DurabilityTest}'s check while {@link H2Housekeeping} rewrites old chunks under the writes. */
class H2HousekeepingDurabilityTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path logDir;

    @BeforeAll
    static void quietLibraries() {
        QuietLogs.apply();
    }

    /**
     * The same while {@link H2Housekeeping} rewrites old chunks all the time: H2 keeps chunks 45 s
     * before they may be rewritten, so the store is told to keep none ({@code RETENTION_TIME 0},
     * a persistent setting) and the writer looks every 10 ms instead of every second.
     */
    @Test
    void everyAcknowledgedBatchSurvivesKillNineWhileOldChunksAreRewritten() throws Exception {
        try (Store store = Stores.open(null, dataDir); Connection c = H2HousekeepingTest.connect(dataDir)) {
            H2HousekeepingTest.keepNoOldChunks(c);
        }
        H2DurabilityTest.killRounds(dataDir, logDir, List.of("-Dsluice.h2.housekeeping-period=PT0.01S"), new String[0],
                20261208L, 200, 400);
    }
}
