package dev.sluice.engine.pipeline;

import java.util.Comparator;

/**
 * One thing wrong with a pipeline file.
 *
 * @param location where it is
 * @param path     the YAML path, e.g. {@code steps[2].needs[0]}
 * @param code     a stable machine-readable code, e.g. {@code unknown-key}, {@code cycle}
 * @param message  what is wrong, for a person
 * @param hint     a suggestion (may be null), e.g. {@code did you mean 'needs'?}
 */
public record Problem(Location location, String path, String code, String message, String hint)
        implements Comparable<Problem> {

    private static final Comparator<Problem> ORDER = Comparator.comparing(Problem::location)
            .thenComparing(Problem::message);

    /** The CLI's one-line form: {@code file:line:col: message (hint)}. */
    public String format() {
        return location + ": " + message + (hint == null || hint.isEmpty() ? "" : " (" + hint + ")");
    }

    @Override
    public int compareTo(Problem o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return format();
    }
}
