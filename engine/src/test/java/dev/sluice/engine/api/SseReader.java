package dev.sluice.engine.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a Server-Sent Events body frame by frame, as a browser's EventSource would. */
final class SseReader implements AutoCloseable {

    record Frame(String id, String event, String data) {}

    private final BufferedReader in;

    SseReader(InputStream body) {
        this.in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** @return the next event, or null when the stream ended */
    Frame next() {
        String id = null;
        String event = "message";
        StringBuilder data = null;
        try {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (data != null) return new Frame(id, event, data.toString());
                    continue;
                }
                if (line.startsWith(":")) continue;
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> { }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every event up to and including the first {@code end}. */
    List<Frame> untilEnd() {
        List<Frame> all = new ArrayList<>();
        for (Frame f; (f = next()) != null; ) {
            all.add(f);
            if (f.event().equals("end")) {
                if (next() != null) throw new AssertionError("events after the end");
                return all;
            }
        }
        throw new AssertionError("the stream closed without an end event: " + all);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // the connection is gone anyway
        }
    }
}
