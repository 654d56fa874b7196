package dev.sluice.engine.store;

import static dev.sluice.engine.store.StoreFixtures.create;
import static dev.sluice.engine.store.StoreFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract on PostgreSQL: an embedded server, and per test a new database copied from one
 * migrated once (Flyway's full migrate costs more than most tests).
 */
class PostgresStoreTest extends StoreContractTest {

    private static final String TEMPLATE = "store_template";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static EmbeddedPostgres postgres;

    private String url;

    @BeforeAll
    static void startPostgres() throws IOException, SQLException {
        postgres = EmbeddedPostgres.start();
        execute("CREATE DATABASE " + TEMPLATE);
        Stores.open(postgres.getJdbcUrl("postgres", TEMPLATE), null).close();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Override
    protected Store openStore() {
        String database = "store_test_" + DATABASES.incrementAndGet();
        // the template's last connections may still be closing on the server side
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> execute("CREATE DATABASE " + database + " TEMPLATE " + TEMPLATE));
        url = postgres.getJdbcUrl("postgres", database);
        return Stores.open(url, null);
    }

    private static boolean execute(String sql) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
            return true;
        }
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
