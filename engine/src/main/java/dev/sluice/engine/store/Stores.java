package dev.sluice.engine.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Opens the {@link Store} a command line or server names: embedded H2 by default, or PostgreSQL. */
public final class Stores {

    /**
     * H2 settings, from the H2 2.3.232 sources ({@code Database}, {@code TransactionStore}):
     * <ul>
     *   <li>{@code WRITE_DELAY=0}: the default (500 ms) leaves committed transactions in memory for up
     *       to half a second; with 0 every commit writes its MVStore chunk to the file before
     *       {@code commit()} returns, so it survives {@code kill -9}. (The write reaches the OS, not
     *       necessarily the platters: a power cut may still lose the last commits.)</li>
     *   <li>{@code AUTO_SERVER=TRUE}: the first process to open the file serves it over a loopback
     *       TCP port written in the lock file; others (say {@code sluice runs} during a
     *       {@code sluice run}) connect to it, and take over when it exits (auto-reconnect is
     *       implied). After a crash the stale lock file stays, and the next process waits about
     *       three seconds (H2 checks that nobody refreshes it) before it opens the database.
     *       ({@code FILE_LOCK=FS}, which the OS releases at once, cannot be combined with
     *       {@code AUTO_SERVER}.)</li>
     *   <li>H2 closes the database from its own JVM shutdown hook ({@code DB_CLOSE_ON_EXIT=FALSE}
     *       cannot be combined with {@code AUTO_SERVER}): a commit made from another shutdown hook
     *       races with it. Nothing committed earlier is lost.</li>
     * </ul>
     */
    static final String H2_SETTINGS = ";WRITE_DELAY=0;AUTO_SERVER=TRUE";

    /** The database file is {@code sluice.mv.db} in the data folder. */
    static final String H2_FILE = "sluice";

    /**
     * The AUTO_SERVER's TCP port listens on loopback only. H2 binds it to every interface (and lets
     * other machines connect) unless {@code h2.bindAddress} says otherwise; H2 reads that property
     * once, when it first loads, so it is set here, before any H2 class (the launchers set it too).
     */
    static final String H2_BIND = "h2.bindAddress";

    static {
        if (System.getProperty(H2_BIND) == null) System.setProperty(H2_BIND, "127.0.0.1");
    }

    private static final Pattern URL_PARAM_USER = Pattern.compile("[?&]user=");
    private static final Pattern URL_PARAM_PASSWORD = Pattern.compile("[?&]password=");

    private Stores() {}

    /**
     * Opens the store, creating and migrating the database on first use.
     *
     * @param dbUrl   {@code null} for the embedded H2 database in {@code dataDir}, or a
     *                {@code jdbc:postgresql:} URL; user and password come from its {@code user} and
     *                {@code password} parameters, else from {@code SLUICE_DB_USER} and
     *                {@code SLUICE_DB_PASSWORD}
     * @param dataDir where the embedded database lives (created if missing); unused for PostgreSQL
     * @throws IllegalArgumentException for any other URL
     * @throws StoreException           when the database cannot be opened, with a one-line message
     */
    public static Store open(String dbUrl, Path dataDir) {
        return open(dbUrl, dataDir, System.getenv(), Clock.systemUTC());
    }

    /** As {@link #open(String, Path)}, stamping pipeline versions and states with the given clock (tests). */
    public static Store open(String dbUrl, Path dataDir, Clock clock) {
        return open(dbUrl, dataDir, System.getenv(), clock);
    }

    static Store open(String dbUrl, Path dataDir, Map<String, String> env, Clock clock) {
        if (dbUrl == null || dbUrl.isBlank()) {
            Objects.requireNonNull(dataDir, "dataDir");
            String url = h2Url(dataDir);
            Path dir = dataDir.toAbsolutePath().normalize();
            // opens that stop the AUTO_SERVERs a failed open (a full disk) left running: see OrphanedAutoServers
            JdbcStore store = openJdbc(url, "sa", H2Password.of(dir), clock, new H2FileDataSource(url, dir, H2_FILE));
            PrivateFiles.restrict(dir);
            return store;
        }
        if (dbUrl.startsWith("jdbc:postgresql:")) {
            String user = URL_PARAM_USER.matcher(dbUrl).find() ? null : env.get("SLUICE_DB_USER");
            String password = URL_PARAM_PASSWORD.matcher(dbUrl).find() ? null : env.get("SLUICE_DB_PASSWORD");
            return openJdbc(dbUrl, user, password, clock, null);
        }
        throw new IllegalArgumentException("unsupported database URL '" + Jdbc.redact(dbUrl)
                + "': give a jdbc:postgresql: URL, or none for the embedded database");
    }

    /** The embedded database's URL for a data folder, which is created if missing. */
    /** Creates a data dir readable by its owner only (the embedded database, artifacts and logs live there). */
    public static void createDataDir(Path dir) throws IOException {
        H2Password.createPrivateDirectory(dir.toAbsolutePath().normalize());
    }

    static String h2Url(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (dir.toString().contains(";")) {
            throw new IllegalArgumentException("the data folder path cannot contain ';': " + dir);
        }
        try {
            H2Password.createPrivateDirectory(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create the data folder " + dir + ": " + Jdbc.message(e), e);
        }
        return "jdbc:h2:file:" + dir.resolve(H2_FILE) + H2_SETTINGS;
    }

    /** Opens a pool on any supported JDBC URL with the driver's connections (see below). */
    static JdbcStore openJdbc(String jdbcUrl, String user, String password, Clock clock) {
        return openJdbc(jdbcUrl, user, password, clock, null);
    }

    /**
     * Opens a pool on any supported JDBC URL, migrates the schema, and hands the pool to the store.
     *
     * @param connections where the pool gets its connections, or {@code null} for the driver's
     */
    static JdbcStore openJdbc(String jdbcUrl, String user, String password, Clock clock, javax.sql.DataSource connections) {
        Dialect dialect = Dialect.fromJdbcUrl(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setPoolName("sluice-store");
        config.setJdbcUrl(jdbcUrl); // also kept when a data source is given: the store reads its dialect there
        if (connections != null) config.setDataSource(connections);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        // a database H2 closed after a failed write (a full disk) is opened again by new connections
        config.setExceptionOverride(new ClosedDatabaseEviction());
        if (dialect == Dialect.H2) {
            // H2 closes a database when its last connection closes: never retire the pool's last
            // one, or the database (and the server other processes reach it through) would cycle
            config.setMaxLifetime(0);
        }
        HikariDataSource dataSource;
        long giveUpAt = System.nanoTime() + LOCKED_RETRY_NANOS;
        while (true) {
            try {
                dataSource = new HikariDataSource(config);
                break;
            } catch (RuntimeException e) {
                String message = rootMessage(e);
                // an embedded file another process is just closing (or a killed one left) frees up in moments
                if (dialect == Dialect.H2 && message.toLowerCase(Locale.ROOT).contains("locked")
                        && System.nanoTime() < giveUpAt) {
                    sleepQuietly(200);
                    continue;
                }
                throw new StoreException("cannot open the database " + Jdbc.redact(jdbcUrl) + ": " + message, e);
            }
        }
        return new JdbcStore(dataSource, clock);
    }

    private static final long LOCKED_RETRY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the database file", e);
        }
    }

    /** The driver's own words (the first SQLException in the chain) say most, else the root cause. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                return Jdbc.message(t);
            }
            root = t;
        }
        return Jdbc.message(root);
    }
}
