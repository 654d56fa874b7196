package dev.sluice.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A named lease row in the database (table {@code leader_lease}): at most one holder at a time,
 * and an epoch that grows by one at every acquisition, used as a fencing token ({@link Fence}).
 * Whether a lease has expired is decided by the database clock ({@code CURRENT_TIMESTAMP}) in the
 * statement itself, so servers whose clocks disagree still agree on who holds it.
 *
 * <p>Each call is one short transaction on a connection of the store's pool; a failure of the
 * database is a {@link StoreException}. Thread-safe. Get one from {@link Store#lease}.
 */
public final class LeaderLease {

    /** The lease whose holder runs the scheduler and the cron service. */
    public static final String SCHEDULER = "scheduler";

    // free when released, expired, or already ours (a holder taking back its own lease, e.g. after it
    // stopped acting as leader because a renewal was slow, starts a new term with a new epoch)
    private static final String ACQUIRE = "UPDATE leader_lease SET holder = ?, url = ?, epoch = epoch + 1,"
            + " acquired_at = CURRENT_TIMESTAMP, renewed_at = CURRENT_TIMESTAMP, expires_at = %s"
            + " WHERE name = ? AND (holder IS NULL OR holder = ? OR expires_at IS NULL OR expires_at <= CURRENT_TIMESTAMP)";
    // not conditional on expiry: a lease that ran out but that nobody took is still this holder's
    private static final String RENEW = "UPDATE leader_lease SET renewed_at = CURRENT_TIMESTAMP, expires_at = %s"
            + " WHERE name = ? AND holder = ? AND epoch = ?";
    private static final String RELEASE = "UPDATE leader_lease SET holder = NULL, url = NULL, expires_at = NULL,"
            + " renewed_at = CURRENT_TIMESTAMP WHERE name = ? AND holder = ? AND epoch = ?";
    private static final String CURRENT = "SELECT holder, epoch, url, expires_at FROM leader_lease"
            + " WHERE name = ? AND holder IS NOT NULL AND expires_at > CURRENT_TIMESTAMP";
    private static final String CREATE = "INSERT INTO leader_lease (name, holder, epoch)"
            + " SELECT ?, NULL, 0 WHERE NOT EXISTS (SELECT 1 FROM leader_lease WHERE name = ?)";
    /** The fence check: locks the row until the commit ends, so no acquisition can commit in between. */
    private static final String CHECK = "SELECT epoch FROM leader_lease WHERE name = ? AND holder = ? AND epoch = ? FOR UPDATE";

    private final DataSource dataSource;
    private final Dialect dialect;
    private final String name;
    private volatile boolean rowExists;

    LeaderLease(DataSource dataSource, Dialect dialect, String name) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.name = Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > 64) throw new IllegalArgumentException("a lease name has 1 to 64 characters");
    }

    public String name() {
        return name;
    }

    /**
     * Takes the lease if nobody holds it, its holder let it expire, or {@code holder} already holds
     * it; the epoch grows by one either way.
     *
     * @param url the holder's API URL for followers to find (may be null)
     * @param ttl how long the lease lasts without a {@link #renew}, from the database's now
     * @return the new epoch, or empty when someone else holds the lease
     */
    public Optional<Long> tryAcquire(String holder, String url, Duration ttl) {
        Objects.requireNonNull(holder, "holder");
        long millis = millis(ttl);
        ensureRow();
        return transaction("cannot acquire the lease " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement(String.format(ACQUIRE, dialect.nowPlusMillis()))) {
                ps.setString(1, holder);
                ps.setString(2, url);
                ps.setLong(3, millis);
                ps.setString(4, name);
                ps.setString(5, holder);
                if (ps.executeUpdate() == 0) return Optional.empty();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT epoch FROM leader_lease WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Optional.of(rs.getLong(1));
                }
            }
        });
    }

    /**
     * Extends the lease to {@code ttl} from the database's now.
     *
     * @return false when {@code holder} no longer holds it with this epoch (it was released, or it
     *         expired and someone took it): the caller must stop acting as leader at once
     */
    public boolean renew(String holder, long epoch, Duration ttl) {
        long millis = millis(ttl);
        return transaction("cannot renew the lease " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement(String.format(RENEW, dialect.nowPlusMillis()))) {
                ps.setLong(1, millis);
                ps.setString(2, name);
                ps.setString(3, holder);
                ps.setLong(4, epoch);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Gives the lease up at once, so another server can take it without waiting for it to expire;
     * the epoch stays (the next holder gets the one after).
     *
     * @return false when {@code holder} did not hold it with this epoch (nothing changes)
     */
    public boolean release(String holder, long epoch) {
        return transaction("cannot release the lease " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement(RELEASE)) {
                ps.setString(1, name);
                ps.setString(2, holder);
                ps.setLong(3, epoch);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** The holder now, by the database clock; empty when the lease is free or has expired. */
    public Optional<LeaseInfo> current() {
        return transaction("cannot read the lease " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement(CURRENT)) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    return Optional.of(new LeaseInfo(rs.getString("holder"), rs.getLong("epoch"), rs.getString("url"),
                            Jdbc.getInstant(rs, "expires_at")));
                }
            }
        });
    }

    /**
     * The check a fenced commit makes first, in its own transaction: the lease row must still name
     * this holder and epoch. The row stays locked until that transaction ends.
     *
     * @throws FencedException when it does not
     */
    static void check(Connection c, Fence.Token token) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CHECK)) {
            ps.setString(1, token.lease());
            ps.setString(2, token.holder());
            ps.setLong(3, token.epoch());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return;
            }
        }
        String now = "nobody";
        try (PreparedStatement ps = c.prepareStatement("SELECT holder, epoch FROM leader_lease WHERE name = ?")) {
            ps.setString(1, token.lease());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getString(1) != null) now = rs.getString(1) + " (epoch " + rs.getLong(2) + ")";
            }
        }
        throw new FencedException("not the leader any more: lease " + token.lease() + " is held by " + now + ", not by "
                + token.holder() + " (epoch " + token.epoch() + "); nothing was written");
    }

    /** Rows of other lease names than the one the migration creates are added on first use. */
    private void ensureRow() {
        if (rowExists) return;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CREATE)) {
            c.setAutoCommit(true);
            ps.setString(1, name);
            ps.setString(2, name);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!Jdbc.isUniqueViolation(e)) {
                throw new StoreException("cannot create the lease " + name + ": " + Jdbc.message(e), e);
            }
        }
        rowExists = true;
    }

    private <T> T transaction(String what, Jdbc.Work<T> work) {
        return Jdbc.transaction(dataSource, what, work);
    }

    private static long millis(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("a lease lasts a positive time, not " + ttl);
        return ttl.toMillis();
    }
}
