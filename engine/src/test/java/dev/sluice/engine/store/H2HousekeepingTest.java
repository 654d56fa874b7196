package dev.sluice.engine.store;

import static dev.sluice.engine.store.StoreFixtures.at;
import static dev.sluice.engine.store.StoreFixtures.create;
import static dev.sluice.engine.store.StoreFixtures.run;
import static dev.sluice.engine.store.StoreFixtures.start;
import static dev.sluice.engine.store.StoreFixtures.succeed;
import static dev.sluice.engine.store.StoreFixtures.taskState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.engine.run.StepState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database's file stops growing with every step: the live pages of old, mostly empty
 * chunks are rewritten while the store is open, so their space is used again.
 */
class H2HousekeepingTest {

    private static final int STEPS = 600;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void quietLibraries() {
        QuietLogs.apply();
    }

    @Test
    void aSecondChainOfStepsReusesTheSpaceTheFirstLeftInOldChunks() throws Exception {
        try (Store store = Stores.open(null, dataDir); Connection c = connect(dataDir)) {
            keepNoOldChunks(c);
            long empty = fileSize();
            chain(store, "first");
            long afterFirst = fileSize();
            assertThat(afterFirst - empty).as("a chain of %d steps, one commit each, writes a chunk a step", STEPS)
                    .isGreaterThan(STEPS * 4096L);

            // the run's heartbeat goes on meanwhile, as a scheduler's does: chunks the housekeeping
            // emptied are dropped at the next commit
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                store.commit(List.of(new Change.SetRunOwner("first", "test", at(3))));
                return H2Housekeeping.localStore(c).getFileStore().getChunksFillRate();
            }, fill -> fill >= H2Housekeeping.TARGET_FILL_RATE);

            chain(store, "second");
            long grown = fileSize() - afterFirst;
            assertThat(grown).as("the second chain fills the space the first one's chunks left (%d bytes then)",
                    afterFirst - empty).isLessThan((afterFirst - empty) / 2);
        }
    }

    /** The scheduler's commits for a chain of steps: each turn ends one step and starts the next. */
    private static void chain(Store store, String runId) {
        String[] tasks = new String[STEPS];
        for (int i = 0; i < tasks.length; i++) tasks[i] = "t" + i;
        store.commit(List.of(create(run(runId), tasks)));
        store.commit(startTurn(runId, tasks[0]));
        for (int i = 1; i < tasks.length; i++) {
            List<Change> turn = new ArrayList<>();
            turn.add(succeed(runId, tasks[i - 1], 1, at(2)));
            turn.add(taskState(runId, tasks[i - 1], StepState.RUNNING, StepState.SUCCEEDED, at(2)));
            turn.addAll(startTurn(runId, tasks[i]));
            store.commit(turn);
        }
    }

    private static List<Change> startTurn(String runId, String task) {
        return List.of(taskState(runId, task, StepState.PENDING, StepState.QUEUED, at(1)), start(runId, task, 1, at(1)),
                new Change.SetTaskState(runId, task, StepState.QUEUED, StepState.RUNNING, null, at(1), 1, null, null,
                        null, null));
    }

    /** A second connection to the open embedded database of {@code dataDir} (a store's pool is its own). */
    static Connection connect(Path dataDir) throws SQLException {
        return DriverManager.getConnection(Stores.h2Url(dataDir), "sa", H2Password.of(dataDir.toAbsolutePath().normalize()));
    }

    /**
     * Lets H2 rewrite and reuse chunks at once: it waits until a chunk is 45 s old (its retention
     * time), which a test cannot. A persistent setting of the database.
     */
    static void keepNoOldChunks(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET RETENTION_TIME 0");
        }
    }

    private long fileSize() throws java.io.IOException {
        return Files.size(dataDir.resolve(Stores.H2_FILE + ".mv.db"));
    }
}
