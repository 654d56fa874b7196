package dev.sluice.engine.designer;

/**
 * An edit that cannot apply: a request that is malformed ({@code 400}) or an op that does not fit
 * the text ({@code 409}: unknown step, duplicate id, cycle...). Nothing is changed.
 */
public final class EditRefused extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    /** Index of the op refused in the request's {@code edits}, or -1. */
    private final int op;

    private EditRefused(int status, String code, String message, int op) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.op = op;
    }

    static EditRefused conflict(String code, String message) {
        return new EditRefused(409, code, message, -1);
    }

    static EditRefused badRequest(String code, String message) {
        return new EditRefused(400, code, message, -1);
    }

    EditRefused at(int index) {
        return new EditRefused(status, code, getMessage(), index);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public int op() {
        return op;
    }
}
