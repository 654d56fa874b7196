package dev.sluice.engine.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code text/event-stream} as the HTML standard says: {@code field: value} lines, an
 * empty line ends an event, lines starting with {@code :} are comments (keep-alives).
 */
final class SseParser {

    /** Told of each event; returns false to stop reading. */
    interface Listener {
        boolean onEvent(SseEvent event);
    }

    private SseParser() {}

    /**
     * Reads events until the stream ends or the listener says stop.
     *
     * @return true when the listener stopped, false when the stream ended first
     */
    static boolean read(InputStream in, Listener listener) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String id = null;
        String event = null;
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    if (!listener.onEvent(new SseEvent(id, event == null ? "message" : event, data.toString()))) return true;
                }
                id = null;
                event = null;
                data = null;
                continue;
            }
            if (line.startsWith(":")) continue;
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) value = value.substring(1);
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> {
                    if (data == null) data = new StringBuilder(value);
                    else data.append('\n').append(value);
                }
                default -> { } // retry and unknown fields: nothing to do
            }
        }
        return false;
    }
}
