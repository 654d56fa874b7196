package dev.sluice.worker.exec;

import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.LogLine;
import dev.sluice.worker.protocol.LogSink;

import java.util.ArrayList;
import java.util.List;

/** Keeps every log line it receives. */
final class RecordingSink implements LogSink {

    private final List<LogLine> lines = new ArrayList<>();

    @Override
    public synchronized void accept(AttemptKey key, LogLine line) {
        lines.add(line);
    }

    synchronized List<LogLine> lines() {
        return List.copyOf(lines);
    }

    /** The texts of one stream, in arrival order. */
    synchronized List<String> texts(char stream) {
        return lines.stream().filter(l -> l.stream() == stream).map(LogLine::text).toList();
    }

    synchronized String all() {
        StringBuilder s = new StringBuilder();
        lines.forEach(l -> s.append(l.stream()).append(' ').append(l.text()).append('\n'));
        return s.toString();
    }
}
