package dev.sluice.engine.expr;

/** Quoting a value as exactly one {@code /bin/sh} word. */
public final class ShellWords {

    private ShellWords() {
    }

    /**
     * The value as one shell word: as is when it holds only letters, digits and
     * {@code @%+=:,./-_}; otherwise in single quotes, a {@code '} inside written {@code '"'"'};
     * the empty string as {@code ''}.
     */
    public static String quote(String value) {
        if (value.isEmpty()) return "''";
        if (isSafe(value)) return value;
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    private static boolean isSafe(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "@%+=:,./-_".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }
}
