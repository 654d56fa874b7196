package dev.sluice.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.flywaydb.core.api.MigrationInfo;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {

    @TempDir
    Path dataDir;

    @BeforeAll
    static void quietLibraries() {
        QuietLogs.apply();
    }

    @Test
    void latestNamesTheNewestMigrationFlywayFinds() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:migrations-test");

        MigrationInfo[] all = Migrations.flyway(dataSource).info().all();

        assertThat(Arrays.stream(all).map(m -> m.getVersion().getVersion()).reduce((a, b) -> b))
                .as("bump Migrations.LATEST with every new migration").contains(Migrations.LATEST);
    }

    @Test
    void reopeningAMigratedDatabaseLeavesItsHistoryAlone() throws SQLException {
        Stores.open(null, dataDir).close();
        int rows = historyRows();

        Stores.open(null, dataDir).close();

        assertThat(historyRows()).isEqualTo(rows).isPositive();
    }

    @Test
    void migratesADatabaseOfAnOlderSluiceAndKeepsItsRuns() throws SQLException {
        String yaml = "name: old\nsteps:\n  - {id: a, run: \"true\"}\n";
        String runId;
        try (Store store = Stores.open(null, dataDir)) {
            var version = store.savePipeline("old", yaml);
            var plan = dev.sluice.engine.dag.Planner.plan(
                    dev.sluice.engine.pipeline.PipelineLoader.parse("old.yaml", yaml, dataDir).pipeline());
            java.time.Instant now = java.time.Instant.now();
            var create = dev.sluice.engine.scheduler.NewRun.create(dev.sluice.engine.scheduler.NewRun.newId(now),
                    version, plan, java.util.Map.of(), "manual", now, now, null);
            store.commit(java.util.List.of(create));
            runId = create.run().id();
        }
        // back to the schema of version 7: V8 only added these two indexes
        try (Connection c = DriverManager.getConnection(Stores.h2Url(dataDir), "sa", H2Password.of(dataDir.toAbsolutePath().normalize()));
                Statement s = c.createStatement()) {
            s.execute("DROP INDEX artifacts_attempt_idx");
            s.execute("DROP INDEX step_cache_attempt_idx");
            s.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '8'");
        }

        try (Store store = Stores.open(null, dataDir)) {
            assertThat(store.run(runId)).isPresent();
        }
        try (Connection c = DriverManager.getConnection(Stores.h2Url(dataDir), "sa", H2Password.of(dataDir.toAbsolutePath().normalize()));
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT MAX(CAST(\"version\" AS INT)) FROM \"flyway_schema_history\" WHERE \"success\"")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(Migrations.LATEST);
        }
    }

    @Test
    void refusesADatabaseMigratedByANewerSluice() throws SQLException {
        Stores.open(null, dataDir).close();
        try (Connection c = DriverManager.getConnection(Stores.h2Url(dataDir), "sa", H2Password.of(dataDir.toAbsolutePath().normalize()));
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\","
                    + " \"type\", \"script\", \"installed_by\", \"execution_time\", \"success\")"
                    + " VALUES (99, '99', 'future', 'SQL', 'V99__future.sql', 'sa', 1, TRUE)");
        }

        assertThatThrownBy(() -> Stores.open(null, dataDir))
                .isInstanceOf(StoreException.class)
                .hasMessage("the database schema is at version 99, newer than this Sluice knows ("
                        + Migrations.LATEST + "): use a newer Sluice");
    }

    private int historyRows() throws SQLException {
        try (Connection c = DriverManager.getConnection(Stores.h2Url(dataDir), "sa", H2Password.of(dataDir.toAbsolutePath().normalize()));
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\"")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
