package dev.sluice.engine.api;

import java.util.Map;

/**
 * A request the API refuses: its status, a short code and a one-line message, and optional
 * extra fields for the JSON body (e.g. {@code errors}).
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final transient Map<String, Object> extra;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, Object> extra) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.extra = Map.copyOf(extra);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> extra() {
        return extra;
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not-found", message);
    }

    static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    static ApiException unsupportedType(String message) {
        return new ApiException(415, "unsupported-media-type", message);
    }
}
