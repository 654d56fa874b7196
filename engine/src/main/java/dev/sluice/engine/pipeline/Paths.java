package dev.sluice.engine.pipeline;

/** YAML paths for problems: {@code steps[2].needs[0]}, {@code env["A.B"]}. */
final class Paths {

    private Paths() {
    }

    static String child(String parent, String key) {
        String k = plain(key) ? key : "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
        if (parent.isEmpty()) return k;
        return k.startsWith("[") ? parent + k : parent + "." + k;
    }

    private static boolean plain(String key) {
        if (key.isEmpty()) return false;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) return false;
        }
        return true;
    }

    static String item(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
