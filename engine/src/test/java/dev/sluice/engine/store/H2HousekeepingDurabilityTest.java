package dev.sluice.engine.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
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
        try (Store store = Stores.open(null, dataDir)) {
            // the store's own pool is private: a second connection to the same open database
            try (Connection c = DriverManager.getConnection(Stores.h2Url(dataDir), "sa",
                    H2Password.of(dataDir.toAbsolutePath().normalize()));
                    Statement st = c.createStatement()) {
                st.execute("SET RETENTION_TIME 0");
            }
        }
        Random random = new Random(20261208L);
        int acked = 0;
        for (int round = 1; round <= 4; round++) {
            int killAfter = 200 + random.nextInt(400);
            try (WriterProcess writer = WriterProcess.start(List.of("-Dsluice.h2.housekeeping-period=PT0.01S"),
                    dataDir, logDir)) {
                acked = writer.awaitAck(writer.firstBatch() + killAfter - 1);
                writer.kill();
            }
            try (Store store = Stores.open(null, dataDir)) {
                H2DurabilityTest.assertIntact(store, acked, "round " + round + " with housekeeping");
            }
        }
    }
}
