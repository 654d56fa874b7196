package dev.sluice.engine.pipeline;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as pipelines write them: a whole number and a unit ({@code 250ms}, {@code 30s},
 * {@code 5m}, {@code 2h}, {@code 1d}) or ISO-8601 ({@code PT30S}, {@code P1D}).
 */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Reads a duration.
     *
     * @throws IllegalArgumentException with a one-line message when the text is not a duration
     *                                  or is negative
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty duration");
        String t = text.strip();
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                Duration d = Duration.parse(t);
                if (d.isNegative()) throw new IllegalArgumentException("negative duration '" + text + "'");
                return d;
            } catch (DateTimeParseException | ArithmeticException e) {
                // fall through to the common message
            }
        }
        throw new IllegalArgumentException("bad duration '" + text + "'");
    }

    /** The short form of a duration for people: {@code 5s}, {@code 1500ms}, {@code 90m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms != 0) return ms / 86_400_000L + "d";
        if (ms % 3_600_000L == 0 && ms != 0) return ms / 3_600_000L + "h";
        if (ms % 60_000L == 0 && ms != 0) return ms / 60_000L + "m";
        if (ms % 1000L == 0) return ms / 1000L + "s";
        return ms + "ms";
    }
}
