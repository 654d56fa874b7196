package dev.sluice.engine.app;

import java.util.Set;

/**
 * Loads and initialises, on a second thread, what a command that opens the local store is about
 * to need (logging, Jackson's databind, the H2 driver and the pool's classes) while the main thread
 * is busy in picocli, which reflects over the command's options and annotations before it parses
 * anything. On two cores that takes some tens of milliseconds off such a command's start.
 *
 * <p>Nothing here has an effect beyond loading classes: no file, socket or connection is opened.
 * The command itself waits for the preload to end ({@link #await}) before it runs, so the two
 * threads never initialise the same classes at once (two threads initialising classes that need
 * each other would deadlock).
 */
final class Preload {

    /** The commands that open the local store (when not given --server). */
    private static final Set<String> STORE_COMMANDS = Set.of("run", "runs", "show", "logs", "rerun", "diff",
            "lineage", "models", "alerts", "gc");

    private final Thread thread;

    private Preload(Thread thread) {
        this.thread = thread;
    }

    /** Starts the preload when {@code command} opens the store; else a preload that has nothing to do. */
    static Preload start(String command) {
        if (!STORE_COMMANDS.contains(command) || Boolean.getBoolean("sluice.no-preload")) return new Preload(null);
        Thread thread = new Thread(Preload::load, "sluice-preload");
        thread.setDaemon(true);
        thread.start();
        return new Preload(thread);
    }

    /** Waits for the preload to end (a few tens of milliseconds at most). */
    void await() {
        if (thread == null) return;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void load() {
        try {
            org.slf4j.LoggerFactory.getILoggerFactory(); // LogSetup runs
            com.fasterxml.jackson.databind.json.JsonMapper.builder().build(); // as the store's JsonValues
            ClassLoader loader = Preload.class.getClassLoader();
            for (String name : new String[] {"org.h2.Driver", "org.h2.engine.SysProperties", "org.h2.util.Utils",
                    "org.h2.engine.Constants", "org.h2.mvstore.DataUtils", "org.h2.value.ValueVarchar",
                    "com.zaxxer.hikari.HikariConfig", "com.zaxxer.hikari.HikariDataSource",
                    "com.zaxxer.hikari.pool.HikariPool"}) {
                Class.forName(name, true, loader);
            }
        } catch (Throwable e) {
            // only a head start: whatever failed here is loaded again, and reported, where it is used
        }
    }
}
