package dev.sluice.engine.store;

import static dev.sluice.engine.store.StoreFixtures.create;
import static dev.sluice.engine.store.StoreFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded H2 database, plus what only the embedded database does. */
class H2StoreTest extends StoreContractTest {

    @TempDir
    Path dataDir;

    @Override
    protected Store openStore() {
        return Stores.open(null, dataDir);
    }

    @Override
    protected Connection rawConnection() throws SQLException {
        return DriverManager.getConnection(Stores.h2Url(dataDir), "sa", "");
    }

    @Test
    void keepsItsDatabaseFileInTheDataFolder() {
        assertThat(dataDir.resolve("sluice.mv.db")).isRegularFile();
    }

    @Test
    void createsAMissingDataFolder() {
        Path nested = dataDir.resolve("a/b");
        try (Store other = Stores.open(null, nested)) {
            assertThat(other.runs(RunQuery.latest(1))).isEmpty();
        }
        assertThat(nested.resolve("sluice.mv.db")).isRegularFile();
    }

    @Test
    void findsWhatWasCommittedAfterReopening() {
        store.commit(List.of(create(run("r1"), "a")));
        store.close();

        store = Stores.open(null, dataDir);

        assertThat(store.tasks("r1")).hasSize(1);
    }

    @Test
    void aSecondStoreOnTheSameFolderSeesTheFirstOnesCommits() {
        try (Store second = Stores.open(null, dataDir)) {
            store.commit(List.of(create(run("r1"), "a")));
            assertThat(second.run("r1")).isPresent();
            second.commit(List.of(create(run("r2"), "a")));
        }
        assertThat(store.run("r2")).isPresent();
    }
}
