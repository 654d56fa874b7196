package dev.sluice.engine.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Params whose names look secret are shown as {@code ***}: the rule of {@code RunReport}, for run lists. */
final class Secrets {
    private Secrets() {}

    static Map<String, Object> masked(Map<String, Object> params) {
        Map<String, Object> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, looksSecret(k) && String.valueOf(v).length() >= 4 ? "***" : v));
        return out;
    }

    private static boolean looksSecret(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return n.contains("SECRET") || n.contains("TOKEN") || n.contains("PASSWORD") || n.contains("KEY");
    }
}
