package dev.sluice.engine.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded database file compact while it is open, as H2's own background writer would.
 *
 * <p>H2's MVStore writes each commit as a new chunk and never overwrites a page in place: a chunk
 * becomes free only once none of its pages is live any more. Chunks that keep a few live pages (a
 * finished run's rows, written in the same commit as rows changed since) are rewritten by H2's
 * background thread, which moves their live pages into a new chunk; but that thread runs only
 * when commits may be delayed ({@code WRITE_DELAY > 0}), and Sluice commits with
 * {@code WRITE_DELAY=0} so that a transition is durable when it is reported. Without it nothing
 * was ever rewritten while the store was open: six 1,000-step runs left 6,359 chunks 3 % full,
 * a 220 MB file for about 7 MB of data, growing by some 36 KB a step, and a long-running server
 * kept the metadata of every such chunk in memory.
 *
 * <p>So once a {@link #PERIOD}, a thread of its own rewrites the live pages of the emptiest chunks
 * (at most {@link #WRITE_LIMIT} bytes) when the chunks' fill rate is below {@link #TARGET_FILL_RATE},
 * and commits them; H2 drops the chunks left without live pages, and reuses their space once its
 * retention time (45 s) has passed. That is H2's own compaction ({@code MVStore.compact}), on the
 * store of this process only: when another process serves the file (H2's {@code AUTO_SERVER}),
 * the connection is a remote one and that process keeps the file.
 */
final class H2Housekeeping implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(H2Housekeeping.class);

    /**
     * How often the chunks are looked at; H2's background writer looks every third of its write
     * delay (tests shorten it with {@code -Dsluice.h2.housekeeping-period=PT0.01S}).
     */
    static final Duration PERIOD = Duration.parse(System.getProperty("sluice.h2.housekeeping-period", "PT1S"));

    /**
     * Chunks are rewritten while fewer than this percentage of their pages are live. H2's background
     * writer aims at 81 % while the store is busy and 90 % when idle; lower here, so that less is
     * rewritten while the commits of a chain of steps wait for the store's lock.
     */
    static final int TARGET_FILL_RATE = 50;

    /** Live bytes rewritten at most each time (H2's writer: a quarter of its 1 MB buffer each third of a second while busy). */
    static final int WRITE_LIMIT = 1024 * 1024;

    private final DataSource pool;
    private final ScheduledExecutorService thread;

    private H2Housekeeping(DataSource pool, Duration period) {
        this.pool = pool;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-store-housekeeping");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::tidy, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts looking after the file behind {@code pool}, an embedded H2 database's pool. */
    static H2Housekeeping start(DataSource pool) {
        return new H2Housekeeping(pool, PERIOD);
    }

    /** One pass: rewrites the emptiest chunks if the fill rate is low; true when something was rewritten. */
    boolean tidy() {
        try (Connection c = pool.getConnection()) {
            MVStore store = localStore(c);
            if (store == null || store.isClosed() || store.isReadOnly()) return false;
            if (!store.compact(TARGET_FILL_RATE, WRITE_LIMIT)) return false;
            store.commit(); // the rewritten pages are written now, on this thread, not by the next transaction's commit
            return true;
        } catch (SQLException | RuntimeException e) {
            // the pool is closing, the disk is full, or another process serves the file: the next pass tries again
            log.debug("store housekeeping skipped: {}", e.toString());
            return false;
        }
    }

    /** The MVStore behind an embedded connection, or null for one served by another process. */
    static MVStore localStore(Connection c) throws SQLException {
        if (!c.isWrapperFor(org.h2.jdbc.JdbcConnection.class)) return null;
        if (!(c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession() instanceof org.h2.engine.SessionLocal local)) return null;
        return local.getDatabase().getStore().getMvStore();
    }

    /**
     * Stops, waiting for a pass in progress (before the pool closes). Not by interrupting it: an
     * interrupt during a write closes the database file's channel under H2.
     */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) log.warn("store housekeeping did not stop within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
