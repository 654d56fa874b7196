package dev.sluice.engine.store;

import static dev.sluice.engine.store.StoreFixtures.create;
import static dev.sluice.engine.store.StoreFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes on one data folder at the same time, as with {@code sluice runs} during a
 * {@code sluice run}: whoever opened the folder first serves it, the others go through it.
 */
class H2SharedFolderTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path logDir;

    @BeforeAll
    static void quietLibraries() {
        QuietLogs.apply();
    }

    @Test
    void readsAndWritesWhileAnotherProcessHoldsTheFolderAndGoesOnWhenItDies() throws IOException {
        try (WriterProcess writer = WriterProcess.start(dataDir, logDir);
                Store store = Stores.open(null, dataDir)) {
            int acked = writer.awaitAck(10);
            assertThat(StoreWriterProcess.problemWith(store, 1, true)).isEmpty();
            assertThat(store.run(StoreWriterProcess.runId(acked))).isPresent();

            store.commit(List.of(create(run("mine"), "a")));
            acked = writer.awaitAck(acked + 10);
            assertThat(store.run(StoreWriterProcess.runId(acked))).as("sees new commits").isPresent();

            writer.kill();

            assertThat(store.run("mine")).as("still readable after the serving process died").isPresent();
            store.commit(List.of(create(run("mine-2"), "a")));
            assertThat(StoreWriterProcess.lastBatch(store)).isGreaterThanOrEqualTo(acked);
        }
    }

    @Test
    void anotherProcessWritesThroughTheStoreThisOneServes() throws IOException {
        try (Store store = Stores.open(null, dataDir)) {
            store.commit(List.of(create(run("mine"), "a")));
            try (WriterProcess writer = WriterProcess.start(dataDir, logDir)) {
                int acked = writer.awaitAck(20);
                assertThat(StoreWriterProcess.problemWith(store, acked - 1, true)).isEmpty();
                writer.kill();
            }
            int last = StoreWriterProcess.lastBatch(store);
            for (int n = 1; n <= last; n++) {
                assertThat(StoreWriterProcess.problemWith(store, n, n < last)).isEmpty();
            }
            assertThat(store.run("mine")).isPresent();
        }
    }
}
