package dev.sluice.engine.store;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Where the pools get their connections to the embedded database: plain {@link DriverManager}
 * connections, except that each open (failed or not) is followed by stopping the AUTO_SERVERs a
 * failed open left running in this JVM ({@link OrphanedAutoServers}), and an open refused by one of
 * them is tried again at once; on a full disk no open is tried at all. So once a full disk has room again, the pool's next attempt opens
 * the database instead of being refused for ever; the reopened files are narrowed to their owner.
 */
final class H2FileDataSource implements DataSource {

    private final String url;
    private final Path dir;
    private final String name;

    /** @param url the {@code jdbc:h2:file:} URL of {@code dir/name} */
    H2FileDataSource(String url, Path dir, String name) {
        this.url = url;
        this.dir = dir;
        this.name = name;
    }

    /**
     * Below this much free space an open is not even tried: on a full disk H2's open fails after it
     * has started its AUTO_SERVER and locked the lock file, and may leave both behind.
     */
    static final long MIN_FREE_TO_OPEN = 1024 * 1024;

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        long free = freeSpace();
        if (free < MIN_FREE_TO_OPEN) {
            throw new SQLException("the disk of the data dir is full (" + free / 1024
                    + " KiB free): the database is opened again once space is freed", "08001");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                Connection c = DriverManager.getConnection(url, user, password);
                OrphanedAutoServers.opened(c);
                OrphanedAutoServers.stop(dir, name, null); // the leaks of earlier failed opens
                PrivateFiles.restrict(dir); // a reopen wrote a new lock file with the umask's mode
                return c;
            } catch (SQLException e) {
                if (OrphanedAutoServers.stop(dir, name, e) == 0 || attempt >= 3) throw e;
            }
        }
    }

    private long freeSpace() {
        try {
            return java.nio.file.Files.getFileStore(dir).getUsableSpace();
        } catch (java.io.IOException | SecurityException e) {
            return Long.MAX_VALUE; // cannot tell: let H2 try
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(null, null);
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // DriverManager's own
    }

    /**
     * Kept for the pool, which sets it from its connection timeout and, when it closes, waits this
     * long for a connection being added: answering 0 made every close during such an add log
     * "Timed-out waiting for add connection executor to shutdown".
     */
    private volatile int loginTimeoutSeconds = 30;

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeoutSeconds = seconds > 0 ? seconds : 30;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) return type.cast(this);
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
