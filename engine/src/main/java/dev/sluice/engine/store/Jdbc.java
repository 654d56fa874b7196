package dev.sluice.engine.store;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** Small JDBC helpers shared by the store classes: times, nullable numbers, error messages. */
final class Jdbc {

    /** SQLSTATE of a unique or primary key violation (H2 and PostgreSQL agree). */
    static final String UNIQUE_VIOLATION = "23505";

    private static final Pattern SECRET_PARAM = Pattern.compile("(?i)(password=)[^&;]*");

    private Jdbc() {}

    /** Times are stored in UTC with microsecond precision (what both databases keep). */
    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, value.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
        }
    }

    static Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static void setInteger(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    static Integer getInteger(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    static void setBoolean(PreparedStatement ps, int index, Boolean value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BOOLEAN);
        } else {
            ps.setBoolean(index, value);
        }
    }

    /** Whether the exception, or one chained to it (as cause or next exception), is a unique violation. */
    static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException() == s ? null : s.getNextException()) {
                    if (UNIQUE_VIOLATION.equals(s.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The first line of the most telling message: for a failed batch, the error behind it. */
    /** JDBC work on one connection. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed, or rolled back and reported as a {@link StoreException} saying {@code what} failed. */
    static <T> T transaction(DataSource dataSource, String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(what + ": " + message(e), e);
        }
    }

    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it and the database drops the transaction
        }
    }

    static String message(Throwable e) {
        Throwable telling = e;
        if (e instanceof BatchUpdateException batch && batch.getNextException() != null) {
            telling = batch.getNextException();
        }
        while (telling.getMessage() == null && telling.getCause() != null) {
            telling = telling.getCause();
        }
        String message = telling.getMessage() == null ? telling.getClass().getSimpleName() : telling.getMessage();
        String firstLine = message.strip().lines().findFirst().orElse(message);
        return redact(firstLine);
    }

    /** Hides passwords given as URL parameters. */
    static String redact(String text) {
        return SECRET_PARAM.matcher(text).replaceAll("$1***");
    }
}
