package dev.sluice.worker.cluster;

import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.LogLine;
import dev.sluice.worker.protocol.LogSink;
import dev.sluice.worker.protocol.Wire;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Buffers the lines of running attempts (from the executor's pump threads) and sends them in
 * batches: one {@code sluice.leader.logs} message per attempt and flush, at most
 * {@value #MAX_LINES} lines each, lines of one attempt in order.
 */
final class LogBatcher implements LogSink {

    static final int MAX_LINES = 500;

    private record Entry(AttemptKey key, LogLine line) {}

    private final String workerId;
    private final Consumer<JsonObject> sender;
    private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();

    LogBatcher(String workerId, Consumer<JsonObject> sender) {
        this.workerId = workerId;
        this.sender = sender;
    }

    @Override
    public void accept(AttemptKey key, LogLine line) {
        queue.add(new Entry(key, line));
    }

    /** Sends everything buffered so far; called on the agent's context. */
    void flush() {
        flushExcept(null);
    }

    /**
     * Sends everything buffered so far but the lines of {@code kept}, which it returns: an ended
     * attempt's last lines travel inside its result, so they cannot arrive after it (two event-bus
     * messages to different addresses may overtake each other).
     */
    List<LogLine> flushExcept(AttemptKey kept) {
        Map<AttemptKey, List<LogLine>> byKey = new LinkedHashMap<>();
        for (Entry e; (e = queue.poll()) != null; ) {
            byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.line());
        }
        List<LogLine> last = kept == null ? List.of() : byKey.getOrDefault(kept, List.of());
        if (kept != null) byKey.remove(kept);
        byKey.forEach((key, lines) -> {
            for (int from = 0; from < lines.size(); from += MAX_LINES) {
                List<LogLine> chunk = lines.subList(from, Math.min(lines.size(), from + MAX_LINES));
                sender.accept(new JsonObject().put("workerId", workerId).put("key", Wire.toJson(key)).put("lines", Wire.lines(chunk)));
            }
        });
        return last;
    }
}
