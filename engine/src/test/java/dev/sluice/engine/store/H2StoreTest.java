package dev.sluice.engine.store;

import static dev.sluice.engine.store.StoreFixtures.create;
import static dev.sluice.engine.store.StoreFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract on the embedded H2 database, plus what only the embedded database does. Each
 * test starts from a copy of a database migrated once (Flyway's full migrate costs more than most
 * tests).
 */
class H2StoreTest extends StoreContractTest {

    @TempDir
    static Path template;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void migrateATemplate() {
        Stores.open(null, template).close();
    }

    @Override
    protected Store openStore() {
        try {
            Files.copy(template.resolve("sluice.mv.db"), dataDir.resolve("sluice.mv.db"));
            Files.copy(template.resolve(H2Password.FILE), dataDir.resolve(H2Password.FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Stores.open(null, dataDir);
    }

    @Override
    protected Connection rawConnection() throws SQLException {
        return DriverManager.getConnection(Stores.h2Url(dataDir), "sa", H2Password.of(dataDir.toAbsolutePath().normalize()));
    }

    @Test
    void movesATaskThroughItsPrimaryKeyNotByScanningItsRun() throws SQLException {
        String[] tasks = new String[500];
        for (int i = 0; i < tasks.length; i++) {
            tasks[i] = "t" + i;
        }
        store.commit(List.of(create(run("r1"), tasks)));

        try (Connection c = rawConnection(); Statement s = c.createStatement();
                ResultSet plan = s.executeQuery("EXPLAIN UPDATE tasks SET status = 'QUEUED'"
                        + " WHERE run_id = 'r1' AND task_id = 't7' AND status = 'PENDING'")) {
            plan.next();
            assertThat(plan.getString(1)).as("H2 also indexes the foreign key on run_id alone")
                    .contains("PRIMARY_KEY");
        }
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
