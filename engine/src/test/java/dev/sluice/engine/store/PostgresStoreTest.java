package dev.sluice.engine.store;

import static dev.sluice.engine.store.StoreFixtures.create;
import static dev.sluice.engine.store.StoreFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store contract on PostgreSQL (an embedded server, one new database per test). */
class PostgresStoreTest extends StoreContractTest {

    private static EmbeddedPostgres postgres;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private String url;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Override
    protected Store openStore() {
        String database = "store_test_" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        url = postgres.getJdbcUrl("postgres", database);
        return Stores.open(url, null);
    }

    @Override
    protected Connection rawConnection() throws SQLException {
        return DriverManager.getConnection(url);
    }

    @Test
    void takesTheUserFromTheEnvironmentWhenTheUrlHasNone() {
        String withoutUser = url.replaceAll("[?&]user=[^&]*", "");
        assertThat(withoutUser).doesNotContain("user=");

        try (Store other = Stores.open(withoutUser, null, Map.of("SLUICE_DB_USER", "postgres"), Clock.systemUTC())) {
            store.commit(List.of(create(run("r1"), "a")));
            assertThat(other.run("r1")).isPresent();
        }
    }
}
