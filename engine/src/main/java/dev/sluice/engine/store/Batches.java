package dev.sluice.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/** JDBC batches for a commit: rows bound per change, and the check that each compare-and-set matched. */
final class Batches {

    /** Binds the rows of one change to a prepared statement, with {@code addBatch()} per row. */
    interface Binder<T> {
        void bind(PreparedStatement ps, T change) throws SQLException;
    }

    /** Most rows sent in one JDBC batch: the driver holds a batch's parameters in memory until it runs. */
    static final int MAX_ROWS = 1000;

    /** How many rows the current batch of a statement holds ({@link #addRow}). */
    static final class Count {
        private int rows;
    }

    private Batches() {}

    /**
     * {@code addBatch()}, then runs the batch once it holds {@link #MAX_ROWS} rows: a step with
     * 20,000 outputs is written in 20 bounded round trips, not one batch held whole in memory. The
     * caller's final {@code executeBatch()} sends the rest.
     */
    static void addRow(PreparedStatement ps, Count count) throws SQLException {
        ps.addBatch();
        if (++count.rows >= MAX_ROWS) {
            ps.executeBatch();
            count.rows = 0;
        }
    }

    /** Binds the rows of every change and runs them as one batch; prepares nothing when none has rows. */
    static <T> void insertRows(Connection connection, String sql, List<T> group, Predicate<T> hasRows,
            Binder<T> binder) throws SQLException {
        if (group.stream().noneMatch(hasRows)) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (T change : group) {
                binder.bind(ps, change);
            }
            ps.executeBatch();
        }
    }

    /** Throws the conflict of the first change whose statement matched no row. */
    static <T> void checkEachMatched(int[] counts, List<T> group, Function<T, ConflictException> conflict) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                throw conflict.apply(group.get(i));
            }
        }
    }

    /**
     * Names what differed: the state found (or that the row is missing) against the one expected.
     *
     * @param query selects the current state by the given key
     */
    static String describe(Connection connection, String what, String expected, String next, String query,
            Object... key) {
        String found;
        try (PreparedStatement ps = connection.prepareStatement(query)) {
            for (int i = 0; i < key.length; i++) {
                ps.setObject(i + 1, key[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                found = rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            return what + ": expected " + expected + " to move to " + next + ", but its state could not be read ("
                    + Jdbc.message(e) + ")";
        }
        return found == null
                ? what + " does not exist"
                : what + " is " + found + ", expected " + expected + " (to move to " + next + ")";
    }
}
