package dev.sluice.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged commit survives {@code kill -9}, and a commit is never half there. A child process
 * commits numbered batches and acks each after {@code commit()} returns; it is killed after a random
 * number of acks, and the store, reopened, must hold every acked batch whole and no batch in part.
 *
 * <p>To see the check bite, run the writer with H2's default write delay (500 ms), e.g.
 * {@code mvn test -Dtest=H2DurabilityTest -Dsluice.test.h2Settings=';AUTO_SERVER=TRUE'}: acked
 * batches go missing.
 */
class H2DurabilityTest {

    private static final int ROUNDS = 4;

    @TempDir
    Path dataDir;

    @TempDir
    Path logDir;

    @BeforeAll
    static void quietLibraries() {
        QuietLogs.apply();
    }

    @Test
    void everyAcknowledgedBatchSurvivesKillNineWholeAndNoBatchIsHalfThere() throws IOException {
        long seed = Long.getLong("sluice.test.seed", 20250301L);
        killRounds(dataDir, logDir, List.of(), settingsOverride(), seed, 10, 120);
    }

    /**
     * {@link #ROUNDS} rounds of a writer killed after {@code fewest} plus up to {@code spread} more
     * acknowledged batches (drawn from {@code seed}), each followed by the check of what survived.
     */
    static void killRounds(Path dataDir, Path logDir, List<String> jvmOptions, String[] settings, long seed, int fewest,
            int spread) throws IOException {
        Random random = new Random(seed);
        int acked = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            int killAfter = fewest + random.nextInt(spread);
            try (WriterProcess writer = WriterProcess.start(jvmOptions, dataDir, logDir, settings)) {
                assertThat(writer.firstBatch()).as("round %d starts after what survived", round)
                        .isGreaterThan(acked);
                acked = writer.awaitAck(writer.firstBatch() + killAfter - 1);
                writer.kill();
            }
            try (Store store = Stores.open(null, dataDir)) {
                assertIntact(store, acked, "round " + round + " (seed " + seed + ")");
            }
        }
    }

    private static String[] settingsOverride() {
        String settings = System.getProperty("sluice.test.h2Settings");
        return settings == null || settings.isBlank() ? new String[0] : new String[] {settings};
    }

    /** Batches 1..acked all there and whole; anything beyond is whole too, and without gaps. */
    private static void assertIntact(Store store, int acked, String round) {
        Set<Integer> present = new TreeSet<>();
        for (String id : store.runIdsStartingWith("b-")) {
            present.add(Integer.parseInt(id.substring(2)));
        }
        int last = present.isEmpty() ? 0 : ((TreeSet<Integer>) present).last();
        List<Integer> missing = new ArrayList<>();
        for (int n = 1; n <= Math.max(acked, last); n++) {
            if (!present.contains(n)) {
                missing.add(n);
            }
        }
        assertThat(missing).as("%s: batches missing though acknowledged up to %d", round, acked).isEmpty();
        List<String> problems = new ArrayList<>();
        for (int n : present) {
            StoreWriterProcess.problemWith(store, n, present.contains(n + 1)).ifPresent(problems::add);
        }
        assertThat(problems).as("%s: batches stored in part", round).isEmpty();
    }
}
