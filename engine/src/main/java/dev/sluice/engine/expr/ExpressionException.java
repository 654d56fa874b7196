package dev.sluice.engine.expr;

/**
 * An expression that cannot be read or evaluated. The message is one line, fit for a user (for a
 * step, it becomes the reason the attempt failed).
 */
public class ExpressionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int offset;

    public ExpressionException(String message) {
        this(message, -1);
    }

    /**
     * @param offset where in the template or expression text the problem is, or -1 when unknown
     */
    public ExpressionException(String message, int offset) {
        super(message, null, false, false);
        this.offset = offset;
    }

    /** Where in the text the problem is (a char index), or -1 when unknown. */
    public int offset() {
        return offset;
    }
}
