package dev.sluice.engine.api;

import java.nio.file.Path;

/**
 * What a handler answers, built off the event loop and written on it.
 *
 * @param body a value to write as JSON, a String for text, or a Path for a file download
 */
public record Reply(int status, String contentType, Object body) {

    public static Reply json(int status, Object value) {
        return new Reply(status, "application/json", value);
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
