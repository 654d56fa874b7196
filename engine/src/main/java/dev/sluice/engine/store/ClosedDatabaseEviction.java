package dev.sluice.engine.store;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.util.Set;

/**
 * Tells the pool to drop a connection whose embedded database was closed under it. H2 closes a
 * database when a write fails (a full disk): every connection of the pool then answers "The
 * database has been closed" for ever, with an SQL state the pool does not see as fatal. Evicted,
 * they are replaced by new connections, which open the database again once it can be opened: the
 * server recovers by itself when space returns (what was committed before is all on disk).
 */
public final class ClosedDatabaseEviction implements SQLExceptionOverride {

    /** H2: database closed (90098), called at shutdown (90121), connection broken (90067), file corrupted/IO (90028, 90030). */
    static final Set<Integer> CLOSED = Set.of(90098, 90121, 90067, 90028, 90030);

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        return closed(e) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }

    static boolean closed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && CLOSED.contains(s.getErrorCode())) return true;
        }
        return false;
    }
}
