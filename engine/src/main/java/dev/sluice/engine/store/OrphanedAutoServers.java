package dev.sluice.engine.store;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the AUTO_SERVERs that H2 2.4 leaves running in this JVM after a failed open of the embedded
 * database, which otherwise refuse every later open until a restart (issue 10, a full disk).
 *
 * <p>Why they are left (H2 2.4.240, {@code org.h2.engine.Database}): an open takes the lock file,
 * starts the AUTO_SERVER ({@code TcpServer}, keyed by the lock file's id) and writes its port into
 * the lock file, and only then opens the data file. When that fails (no space left to write it),
 * the constructor's error path unlocks the lock file but stops the server only for a "database
 * already open" error: for any other error the {@code TcpServer} keeps running, with nobody to stop
 * it. If the lock file was left behind naming it (its deletion depends on the write that failed),
 * the next open probes that port, this very JVM's orphan answers "running", and every open fails
 * with {@code Database may be already in use: "Server is running"} until the JVM exits; if the lock
 * file went away, each failed open leaks a thread, a port and a small in-memory database.
 *
 * <p>Which servers are orphans, for sure: one named by the lock file when an open from this JVM
 * is refused as "already in use". An open in this JVM is first attached to the database this JVM
 * already has open (H2 keeps one per file and serializes opens of it); it reaches the lock file's
 * check only when this JVM has no open database for the file, so its AUTO_SERVER there serves
 * nothing. And one for the same file whose key is not the lock file's current id: a live database
 * (and one being opened) writes its id to the lock file before it starts its server, so a server
 * with another key belongs to an open that failed or a database that was closed.
 *
 * <p>H2 offers no way to stop a {@code TcpServer} without its random management password, so its
 * static registry of servers and the key of each are read by reflection (H2 is on the class path,
 * not a named module); each orphan is stopped through its public {@code stop()}. Likewise the
 * server and lock of a database H2 dropped after a failed write are read from its private fields
 * ({@link #releaseClosedDatabases}). If reflection is refused, nothing is stopped and the open fails
 * as before.
 */
final class OrphanedAutoServers {

    private static final Logger log = LoggerFactory.getLogger(OrphanedAutoServers.class);

    /** H2's DATABASE_ALREADY_OPEN_1: the lock file's server answered, or another process holds the file. */
    static final int ALREADY_OPEN = 90020;

    private OrphanedAutoServers() {}

    /** One AUTO_SERVER of this JVM: its port, the lock id it was started with and the file it serves. */
    record Server(int port, String key, String database, Object handle) {}

    /** The lock file's id and the port of the server it names, if any. */
    record Lock(String id, Integer port) {}

    /**
     * Stops this JVM's orphaned AUTO_SERVERs for the database file {@code dir/name} after an open
     * failed with {@code failure} (or succeeded: {@code null}).
     *
     * @return how many were stopped (then a failed open is worth trying again at once)
     */
    static int stop(Path dir, String name, SQLException failure) {
        // refused as "already open" from this JVM: H2 has no open database for the file here (see
        // the class comment), so any this JVM opened for it was dropped, whatever its store says
        int released = failure == null ? 0 : releaseClosedDatabases(dir.resolve(name), alreadyOpen(failure));
        List<Server> servers = running();
        if (servers.isEmpty()) return released;
        Path lockFile = dir.resolve(name + ".lock.db");
        Optional<Lock> lock = readLock(lockFile); // read after listing the servers: see orphans()
        List<Server> orphans = orphans(servers, dir.resolve(name), lock.orElse(null), alreadyOpen(failure));
        int stopped = 0;
        for (Server s : orphans) {
            if (stop(s)) {
                stopped++;
                log.warn("stopped the embedded database's AUTO_SERVER on port {} that a failed open left running", s.port());
            }
        }
        // the lock file naming a stopped orphan would hold up the next open ~2 s (H2 waits for a lock file to get old)
        if (stopped > 0 && lock.isPresent() && orphans.stream().anyMatch(s -> s.key().equals(lock.get().id()))
                && readLock(lockFile).equals(lock)) {
            try {
                Files.deleteIfExists(lockFile);
            } catch (IOException e) {
                // H2 takes over a stale lock file by itself, a little later
            }
        }
        return released + stopped;
    }

    /**
     * Releases the AUTO_SERVER and the lock file of each database of this JVM for {@code database}
     * whose data file H2 closed under it (its MVStore is closed) but whose server and lock H2 left:
     * when a write fails, a session that finds the MVStore closed calls {@code
     * Database.shutdownImmediately()}, whose {@code checkPowerOff2()} marks the database as powered
     * off, closes the store, and only then stops the server and unlocks the lock file, in a
     * {@code try} that catches {@code DbException} alone: when closing the store throws anything
     * else (the MVStore's own exception), the server and lock are never released, and as the
     * database is already marked, the next session's check just drops it from H2's registry. A new
     * open is then refused by the old server ("Server is running"), or, once that is stopped, by
     * the old lock's watchdog, which rewrites the lock file under every new open ("Locked by another
     * process"). Such a database is reached through {@link #OPENED}.
     *
     * @return how many databases were released
     */
    static int releaseClosedDatabases(Path database, boolean dropped) {
        int released = 0;
        if (SERVER == null || LOCK == null) return 0;
        for (org.h2.engine.Database d : OPENED) {
            if (!sameFile(d.getName(), database) || !(dropped || storeClosed(d))) continue;
            try {
                Object s = SERVER.get(d);
                if (s instanceof org.h2.tools.Server server) {
                    SERVER.set(d, null);
                    server.stop();
                }
                Object l = LOCK.get(d);
                if (l instanceof org.h2.store.FileLock lock) {
                    LOCK.set(d, null);
                    lock.unlock();
                }
                closeDataFile(d);
                if (s != null || l != null) {
                    released++;
                    log.warn("released the AUTO_SERVER and lock file of the embedded database H2 closed after a failed write");
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.warn("cannot release the embedded database H2 closed after a failed write: {}", e.toString());
            }
            OPENED.remove(d);
        }
        return released;
    }

    /**
     * Every database this JVM opened, until it is closed for good: H2 forgets one it dropped after a
     * failed write (it keeps it only in a weak map), while its lock's watchdog thread, which
     * holds the lock but not the database, runs on.
     */
    private static final java.util.Set<org.h2.engine.Database> OPENED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static final Field SERVER = privateField("server");
    private static final Field LOCK = privateField("lock");

    /** Remembers the database behind a new embedded connection; forgets those H2 closed cleanly. */
    static void opened(java.sql.Connection c) {
        try {
            if (c.isWrapperFor(org.h2.jdbc.JdbcConnection.class)
                    && c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession() instanceof org.h2.engine.SessionLocal local) {
                OPENED.add(local.getDatabase());
            }
        } catch (SQLException | RuntimeException e) {
            return; // not an embedded H2 connection
        }
        if (SERVER == null || LOCK == null) return;
        OPENED.removeIf(d -> {
            try {
                return storeClosed(d) && SERVER.get(d) == null && LOCK.get(d) == null;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return true;
            }
        });
    }

    /**
     * Closes the data file of a dropped database: its closing may have stopped before the file,
     * whose channel lock then refuses this JVM's next open ("The file is locked", an overlapping
     * NIO lock).
     */
    private static void closeDataFile(org.h2.engine.Database d) {
        org.h2.mvstore.db.Store store = d.getStore();
        org.h2.mvstore.MVStore mv = store == null ? null : store.getMvStore();
        if (mv == null) return;
        try {
            mv.closeImmediately();
        } catch (RuntimeException e) {
            // it failed once already: close the file itself below
        }
        try {
            if (mv.getFileStore() != null) mv.getFileStore().close();
        } catch (RuntimeException e) {
            log.warn("cannot close the data file of the database H2 dropped: {}", e.toString());
        }
    }

    private static boolean storeClosed(org.h2.engine.Database d) {
        org.h2.mvstore.db.Store store = d.getStore();
        return store == null || store.getMvStore() == null || store.getMvStore().isClosed();
    }

    private static Field privateField(String name) {
        try {
            Field f = org.h2.engine.Database.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("H2's Database has no field {} ({}): a database H2 drops after a failed write may block reopens until a restart",
                    name, e.toString());
            return null;
        }
    }

    /**
     * The pure rule: of the servers listed before the lock file was read, those serving {@code
     * database} that are orphans (see the class comment).
     */
    static List<Server> orphans(List<Server> servers, Path database, Lock lock, boolean refusedAsOpen) {
        List<Server> out = new ArrayList<>();
        if (lock == null || lock.id() == null) return out; // no lock file: cannot tell a live server from an orphan
        for (Server s : servers) {
            if (!sameFile(s.database(), database)) continue;
            boolean named = lock.port() != null && lock.port() == s.port() && lock.id().equals(s.key());
            if (!s.key().equals(lock.id()) || (named && refusedAsOpen)) out.add(s);
        }
        return out;
    }

    static boolean alreadyOpen(SQLException failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && s.getErrorCode() == ALREADY_OPEN) return true;
        }
        return false;
    }

    /** H2 names a database by its path, possibly with a {@code file:} prefix and the real (resolved) folder. */
    static boolean sameFile(String h2Name, Path database) {
        if (h2Name == null) return false;
        String n = h2Name.startsWith("file:") ? h2Name.substring("file:".length()) : h2Name;
        Path p = Path.of(n).toAbsolutePath().normalize();
        Path d = database.toAbsolutePath().normalize();
        if (p.equals(d)) return true;
        if (p.getFileName() == null || !p.getFileName().equals(d.getFileName())) return false;
        try {
            return p.getParent() != null && d.getParent() != null && Files.isSameFile(p.getParent(), d.getParent());
        } catch (IOException e) {
            return false;
        }
    }

    static Optional<Lock> readLock(Path lockFile) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(lockFile)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String id = p.getProperty("id");
        if (id == null) return Optional.empty();
        Integer port = null;
        String server = p.getProperty("server"); // host:port
        if (server != null && server.lastIndexOf(':') > 0) {
            try {
                port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1).trim());
            } catch (NumberFormatException e) {
                // no usable port: only the key tells
            }
        }
        return Optional.of(new Lock(id, port));
    }

    // ---- H2's registry, by reflection

    private static volatile boolean refused;

    /** This JVM's AUTO_SERVERs (TcpServers started with a key), or none if H2 will not say. */
    static List<Server> running() {
        if (refused) return List.of();
        try {
            Class<?> tcp = Class.forName("org.h2.server.TcpServer");
            Field registry = tcp.getDeclaredField("SERVERS");
            Field key = tcp.getDeclaredField("key");
            Field keyDatabase = tcp.getDeclaredField("keyDatabase");
            registry.setAccessible(true);
            key.setAccessible(true);
            keyDatabase.setAccessible(true);
            List<Server> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) registry.get(null)).entrySet()) {
                Object server = e.getValue();
                Object k = key.get(server);
                if (k == null || !(e.getKey() instanceof Integer port)) continue; // not an AUTO_SERVER
                out.add(new Server(port, (String) k, (String) keyDatabase.get(server), server));
            }
            return out;
        } catch (ReflectiveOperationException | RuntimeException e) {
            refused = true;
            log.warn("cannot list H2's AUTO_SERVERs ({}): one a failed open leaves running will refuse reopens until a restart",
                    e.toString());
            return List.of();
        }
    }

    private static boolean stop(Server s) {
        try {
            Method stop = s.handle().getClass().getMethod("stop");
            stop.invoke(s.handle());
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("cannot stop the embedded database's AUTO_SERVER on port {}: {}", s.port(), e.toString());
            return false;
        }
    }
}
