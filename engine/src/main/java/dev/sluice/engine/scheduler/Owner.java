package dev.sluice.engine.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Who executes a run: {@code cli:<host>:<pid>:<process start millis>}. Another process on the
 * same host can tell at once whether that owner is alive; on another host only a stale heartbeat
 * tells.
 */
public record Owner(String kind, String host, long pid, long startMillis) {

    /** A heartbeat older than this from another host means its owner is gone. */
    public static final Duration STALE = Duration.ofSeconds(60);

    public static Owner self(String kind) {
        ProcessHandle me = ProcessHandle.current();
        long start = me.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return new Owner(kind, hostname(), me.pid(), start);
    }

    public static Optional<Owner> parse(String text) {
        if (text == null) return Optional.empty();
        String[] p = text.split(":");
        if (p.length != 4) return Optional.empty();
        try {
            return Optional.of(new Owner(p[0], p[1], Long.parseLong(p[2]), Long.parseLong(p[3])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the owner may still be running the run. On the same host a dead pid (or one reused by
     * a process started at another time) answers at once; elsewhere, or when the owner's start time
     * was unknown, only a heartbeat older than {@link #STALE} does. Processes of one host must share
     * a pid namespace (containers sharing a data dir need distinct hostnames).
     */
    public boolean alive(Instant heartbeat, Instant now) {
        if (host.equals(hostname()) && startMillis > 0) {
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .flatMap(ph -> ph.info().startInstant())
                    .map(start -> Math.abs(start.toEpochMilli() - startMillis) < 2_000)
                    .orElse(false);
        }
        return heartbeat != null && Duration.between(heartbeat, now).compareTo(STALE) < 0;
    }

    @Override
    public String toString() {
        return kind + ":" + host + ":" + pid + ":" + startMillis;
    }

    private static String hostname() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                h = "localhost";
            }
        }
        return h.replace(':', '_');
    }
}
