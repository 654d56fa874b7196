package dev.sluice.worker.protocol;

import java.util.Locale;

/**
 * The spec's rule for secrets: a variable whose name contains SECRET, TOKEN, PASSWORD or KEY (any
 * case) holds one when its value has at least 4 characters. Logs (worker) and reports (engine)
 * mask by this one rule.
 */
public final class Secrets {

    public static final int MIN_LENGTH = 4;
    private static final String[] MARKERS = {"SECRET", "TOKEN", "PASSWORD", "KEY"};

    private Secrets() {}

    public static boolean secretName(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        for (String marker : MARKERS) if (n.contains(marker)) return true;
        return false;
    }

    /** Whether this variable's value is to be shown as {@code ***}. */
    public static boolean masked(String name, String value) {
        return value != null && value.length() >= MIN_LENGTH && secretName(name);
    }
}
