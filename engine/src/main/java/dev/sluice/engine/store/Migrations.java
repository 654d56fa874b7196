package dev.sluice.engine.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Brings the schema up to date with Flyway ({@code db/migration} on the classpath).
 *
 * <p>Opening a store happens on every CLI command, and Flyway's classpath scan, validation and
 * history checks cost far more than the command itself. So when the schema history already ends,
 * successfully, at {@link #LATEST} (one query), Flyway is not started at all. Any other state (new
 * database, older schema, failed migration) goes through a full {@code migrate()}, which validates.
 */
final class Migrations {

    /** The newest migration in {@code db/migration}; a test checks it against Flyway's own view. */
    static final String LATEST = "7";

    static final String LOCATION = "classpath:db/migration";

    /** Flyway's default schema history table. */
    private static final String HISTORY = "flyway_schema_history";

    private Migrations() {}

    static void migrate(DataSource dataSource) {
        Integer applied = appliedVersion(dataSource);
        int latest = Integer.parseInt(LATEST);
        if (applied != null && applied == latest) {
            return;
        }
        if (applied != null && applied > latest) {
            throw new StoreException("the database schema is at version " + applied
                    + ", newer than this Sluice knows (" + latest + "): use a newer Sluice", null);
        }
        try {
            flyway(dataSource).migrate();
        } catch (FlywayException e) {
            throw new StoreException("cannot bring the database schema up to date: " + Jdbc.message(e), e);
        }
    }

    static Flyway flyway(DataSource dataSource) {
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .load();
    }

    /**
     * The highest successfully applied version, or null when there is no history yet, or when the
     * history holds a failed migration (Flyway then decides what to do).
     */
    private static Integer appliedVersion(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            if (!hasHistory(c)) {
                return null;
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT \"version\", \"success\" FROM \"" + HISTORY + "\"")) {
                Integer max = null;
                while (rs.next()) {
                    String version = rs.getString(1);
                    if (!rs.getBoolean(2) || version != null && !version.matches("[0-9]{1,9}")) {
                        return null;
                    }
                    if (version != null) {
                        max = Math.max(max == null ? 0 : max, Integer.parseInt(version));
                    }
                }
                return max;
            }
        } catch (SQLException e) {
            return null; // let Flyway look, and report
        }
    }

    /** Asked of the metadata rather than by a failing query, which H2 would log to a trace file. */
    private static boolean hasHistory(Connection c) throws SQLException {
        try (ResultSet tables = c.getMetaData().getTables(null, c.getSchema(), HISTORY, null)) {
            return tables.next();
        }
    }
}
