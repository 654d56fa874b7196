package dev.sluice.engine.registry;

/**
 * The rules for model names (those of a pipeline name) and alias names, as reasons a name is
 * refused; messages never repeat a long or hostile name in full.
 */
public final class Names {

    public static final String MODEL_HINT = "a model name is 1 to 63 of a-z, 0-9, '_' and '-', starting with a letter or digit";
    public static final String ALIAS_HINT = "an alias is 1 to 63 of a-z, 0-9, '_' and '-', starting with a letter";

    private Names() {}

    /** Why {@code name} is not a model name, or null when it is one. */
    public static String modelProblem(String name) {
        if (name == null || name.isEmpty()) return "a model name cannot be empty";
        if (name.length() > 63 || !valid(name, false)) return "bad model name '" + shown(name) + "': " + MODEL_HINT;
        return null;
    }

    /** Why {@code alias} is not an alias name, or null when it is one. */
    public static String aliasProblem(String alias) {
        if (alias == null || alias.isEmpty()) return "an alias cannot be empty";
        if (alias.length() > 63 || !valid(alias, true)) return "bad alias '" + shown(alias) + "': " + ALIAS_HINT;
        return null;
    }

    public static boolean isModel(String name) {
        return modelProblem(name) == null;
    }

    public static boolean isAlias(String alias) {
        return aliasProblem(alias) == null;
    }

    private static boolean valid(String s, boolean letterFirst) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || (c >= '0' && c <= '9' && (i > 0 || !letterFirst))
                    || i > 0 && (c == '_' || c == '-');
            if (!ok) return false;
        }
        return true;
    }

    /** A name for a message: at most 40 characters, anything outside printable ASCII escaped. */
    public static String shown(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length() && sb.length() < 40; i++) {
            char c = name.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\'') sb.append(c);
            else sb.append(String.format("\\u%04x", (int) c));
        }
        if (sb.length() >= 40 || name.length() > 40) return sb.substring(0, Math.min(sb.length(), 40)) + "...";
        return sb.toString();
    }
}
