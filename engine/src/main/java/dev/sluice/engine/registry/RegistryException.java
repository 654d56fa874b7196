package dev.sluice.engine.registry;

/** A registry request that names something that does not exist, or is not allowed: nothing was changed. */
public final class RegistryException extends RuntimeException {

    /** What went wrong: {@code not-found} or {@code bad-request}. */
    public enum Kind { NOT_FOUND, BAD_REQUEST }

    private final Kind kind;

    public RegistryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static RegistryException notFound(String message) {
        return new RegistryException(Kind.NOT_FOUND, message);
    }

    public static RegistryException badRequest(String message) {
        return new RegistryException(Kind.BAD_REQUEST, message);
    }
}
