package dev.sluice.engine.client;

/**
 * A call to the server that did not work, with a one-line message for a person: the server's own
 * message for an error it answered, or why it could not be reached.
 */
public final class ClientException extends RuntimeException {

    /** What went wrong, which decides the command line's exit code. */
    public enum Kind {
        /** The server refused the request (4xx): a wrong name, param, id or token. */
        INPUT,
        /** The server could not be reached, broke the connection, or failed (5xx). */
        UNREACHABLE
    }

    private final Kind kind;
    private final int status;

    ClientException(Kind kind, int status, String message) {
        super(message);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status the server answered, or 0 when it did not answer. */
    public int status() {
        return status;
    }
}
