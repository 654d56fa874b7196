package dev.sluice.engine.leader;

import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.engine.store.JdbcStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The leader contract on PostgreSQL: an embedded server, and per test a new database copied from one
 * migrated once (as the store's contract test does).
 */
class LeaderPostgresTest extends LeaderContractTest {

    private static final String TEMPLATE = "leader_template";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static EmbeddedPostgres postgres;

    private String url;

    @BeforeAll
    static void startPostgres() throws IOException, SQLException {
        quietLibraries();
        postgres = EmbeddedPostgres.start();
        execute("CREATE DATABASE " + TEMPLATE);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", TEMPLATE));
        new JdbcStore(new HikariDataSource(config), Clock.systemUTC()).close();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void newDatabase() {
        String database = "leader_test_" + DATABASES.incrementAndGet();
        // the template's last connections may still be closing on the server side
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> execute("CREATE DATABASE " + database + " TEMPLATE " + TEMPLATE));
        url = postgres.getJdbcUrl("postgres", database);
    }

    private static boolean execute(String sql) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
            return true;
        }
    }

    @Override
    protected String databaseUrl() {
        return url;
    }
}
