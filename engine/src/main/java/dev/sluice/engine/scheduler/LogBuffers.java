package dev.sluice.engine.scheduler;

import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.LogLine;
import dev.sluice.worker.protocol.LogSink;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Log lines waiting to be stored, per attempt. Workers' pump threads append; the scheduler thread
 * takes them and commits them with the next batch. Stored form, one line each:
 * {@code 2026-11-23T18:14:23.123Z out  text} ({@code out}, {@code err} or {@code sys}).
 */
final class LogBuffers implements LogSink {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;
    private final Map<AttemptKey, StringBuilder> pending = new ConcurrentHashMap<>();

    @Override
    public void accept(AttemptKey key, LogLine line) {
        String text = format(line.at(), line.stream(), line.text());
        pending.compute(key, (k, sb) -> (sb == null ? new StringBuilder() : sb).append(text));
    }

    /** Takes what is pending for one attempt ("" when nothing). */
    String take(AttemptKey key) {
        StringBuilder sb = pending.remove(key);
        return sb == null ? "" : sb.toString();
    }

    /** Takes what is pending for every attempt. */
    List<Map.Entry<AttemptKey, String>> takeAll() {
        List<Map.Entry<AttemptKey, String>> out = new ArrayList<>();
        for (AttemptKey key : List.copyOf(pending.keySet())) {
            String text = take(key);
            if (!text.isEmpty()) out.add(Map.entry(key, text));
        }
        return out;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    static String format(Instant at, char stream, String text) {
        String s = switch (stream) {
            case 'O' -> "out";
            case 'E' -> "err";
            default -> "sys";
        };
        // PostgreSQL text cannot hold NUL: a step that prints binary must not stop the run
        String safe = text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
        return TIME.format(at.truncatedTo(ChronoUnit.MILLIS)) + " " + s + " " + safe + "\n";
    }
}
