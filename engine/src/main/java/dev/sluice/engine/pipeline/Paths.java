package dev.sluice.engine.pipeline;

import java.util.regex.Pattern;

/** YAML paths for problems: {@code steps[2].needs[0]}, {@code env["A.B"]}. */
final class Paths {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-]+");

    private Paths() {
    }

    static String child(String parent, String key) {
        String k = PLAIN.matcher(key).matches() ? key : "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
        if (parent.isEmpty()) return k;
        return k.startsWith("[") ? parent + k : parent + "." + k;
    }

    static String item(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
