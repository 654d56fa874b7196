package dev.sluice.engine.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * The database could not be reached or answered with an error; or, as {@link FencedException}, it
 * refused a write from a server that is no longer the leader.
 */
public class StoreException extends RuntimeException {

    /** H2's codes for a broken or closing connection (its SQL states are not standard there). */
    private static final Set<String> H2_CONNECTION_STATES = Set.of("90067", "90098", "90121", "90020");

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether trying the same thing again may work: the connection failed or timed out (SQL state
     * class 08, 57 operator intervention, JDBC transient and recoverable exceptions, H2's broken
     * connection codes). A data error (class 22, 23) is never transient.
     */
    public boolean transientFailure() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) return true;
            if (t instanceof SQLException e && e.getSQLState() != null) {
                String state = e.getSQLState();
                if (state.startsWith("08") || state.startsWith("57") || H2_CONNECTION_STATES.contains(state)) return true;
            }
        }
        return false;
    }
}
