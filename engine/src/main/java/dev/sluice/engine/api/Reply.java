package dev.sluice.engine.api;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a handler answers, built off the event loop and written on it.
 *
 * @param body    the text to send (JSON already written), or a Path for a file download
 * @param headers extra response headers, e.g. {@code Location}
 */
public record Reply(int status, String contentType, Object body, Map<String, String> headers) {

    public Reply {
        headers = Map.copyOf(headers);
    }

    public Reply(int status, String contentType, Object body) {
        this(status, contentType, body, Map.of());
    }

    /** The same reply with one more header (set on the event loop, where the response may be touched). */
    public Reply withHeader(String name, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new Reply(status, contentType, body, h);
    }

    /** JSON written here, on the worker thread building the reply: a large run report never ties up the event loop. */
    public static Reply json(int status, Object value) {
        return new Reply(status, "application/json", Json.write(value));
    }

    public static Reply ok(Object value) {
        return json(200, value);
    }

    public static Reply text(String text) {
        return new Reply(200, "text/plain; charset=utf-8", text);
    }

    public static Reply file(Path file) {
        return new Reply(200, "application/octet-stream", file);
    }
}
