package dev.sluice.worker.artifact;

import java.io.IOException;

/** A stored content whose bytes do not hash to its name: it is never handed on as if it were valid. */
public final class CorruptContentException extends IOException {

    private final String expected;
    private final String actual;

    public CorruptContentException(String where, String expected, String actual) {
        super(where + ": content does not match its sha256 (expected " + expected + ", got " + actual + ")");
        this.expected = expected;
        this.actual = actual;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
