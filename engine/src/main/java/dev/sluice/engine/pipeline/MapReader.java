package dev.sluice.engine.pipeline;

import dev.sluice.engine.pipeline.YamlNode.Entry;
import dev.sluice.engine.pipeline.YamlNode.YamlList;
import dev.sluice.engine.pipeline.YamlNode.YamlMap;
import dev.sluice.engine.pipeline.YamlNode.YamlScalar;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Typed reads of one YAML mapping: each read reports a wrong type or a missing required key as a
 * problem and returns null, so binding goes on and every problem is found.
 */
final class MapReader {

    private final YamlMap map;
    private final String path;
    private final Problems problems;

    /** Reads {@code map}, reporting at once every key not in {@code allowed}. */
    MapReader(YamlMap map, String path, Problems problems, Collection<String> allowed) {
        this.map = map;
        this.path = path;
        this.problems = problems;
        for (Entry e : map.entries().values()) {
            if (!allowed.contains(e.key())) {
                problems.add(e.keyLocation(), path(e.key()), "unknown-key", "unknown key '" + e.key() + "'",
                        Hints.didYouMean(e.key(), allowed));
            }
        }
    }

    YamlMap yaml() {
        return map;
    }

    String path(String key) {
        return Paths.child(path, key);
    }

    boolean has(String key) {
        return map.entries().containsKey(key);
    }

    YamlNode node(String key) {
        return map.get(key);
    }

    Location keyAt(String key) {
        Entry e = map.entries().get(key);
        return e == null ? map.location() : e.keyLocation();
    }

    Location valueAt(String key) {
        YamlNode n = map.get(key);
        return n == null ? map.location() : n.location();
    }

    /** Reports a required key that is absent or null; true when it is there. */
    boolean require(String key) {
        YamlNode n = map.get(key);
        if (n == null) {
            problems.add(map.location(), path(key), "required", "missing required key '" + key + "'");
            return false;
        }
        if (n instanceof YamlScalar s && s.isNull()) {
            problems.add(keyAt(key), path(key), "required", "'" + key + "' is empty");
            return false;
        }
        return true;
    }

    /** A scalar as text (numbers and booleans as written); null when absent, null or wrong. */
    String text(String key) {
        YamlScalar s = scalar(key, "a string");
        return s == null ? null : s.text();
    }

    /** The scalar node of a key; null when absent, null, or not a scalar (reported). */
    YamlScalar scalar(String key, String expected) {
        YamlNode n = map.get(key);
        if (n == null || (n instanceof YamlScalar s0 && s0.isNull())) return null;
        if (n instanceof YamlScalar s) return s;
        wrongType(key, expected, n);
        return null;
    }

    Long integer(String key, long min, long max) {
        YamlNode n = map.get(key);
        if (n == null || (n instanceof YamlScalar s0 && s0.isNull())) return null;
        if (n instanceof YamlScalar s && (s.value() instanceof Long || s.value() instanceof BigInteger)) {
            if (s.value() instanceof Long v && v >= min && v <= max) return v;
            String range = max == Long.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
            problems.add(n.location(), path(key), "bad-value", "'" + key + "' must be " + range + "; got " + s.text());
            return null;
        }
        wrongType(key, "an integer", n);
        return null;
    }

    Boolean bool(String key) {
        YamlNode n = map.get(key);
        if (n == null || (n instanceof YamlScalar s0 && s0.isNull())) return null;
        if (n instanceof YamlScalar s && s.value() instanceof Boolean b) return b;
        wrongType(key, "true or false", n);
        return null;
    }

    Duration duration(String key, boolean positive) {
        YamlScalar s = scalar(key, "a duration like 30s");
        if (s == null) return null;
        try {
            Duration d = Durations.parse(s.text());
            if (positive && d.isZero()) {
                problems.add(s.location(), path(key), "bad-duration", "'" + key + "' must be more than 0");
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.add(s.location(), path(key), "bad-duration", "bad duration '" + s.text() + "'",
                    "use 250ms, 30s, 5m, 2h, 1d or ISO-8601 like PT30S");
            return null;
        }
    }

    YamlMap map(String key) {
        YamlNode n = map.get(key);
        if (n == null || (n instanceof YamlScalar s0 && s0.isNull())) return null;
        if (n instanceof YamlMap m) return m;
        wrongType(key, "a mapping", n);
        return null;
    }

    /**
     * A list of scalars; a lone scalar counts as a list of one. Null items and nested lists or
     * mappings are reported and left out.
     */
    List<YamlScalar> scalars(String key, String itemName) {
        YamlNode n = map.get(key);
        if (n == null || (n instanceof YamlScalar s0 && s0.isNull())) return null;
        if (n instanceof YamlScalar s) return List.of(s);
        if (n instanceof YamlMap) {
            wrongType(key, "a list of " + itemName + "s", n);
            return null;
        }
        List<YamlScalar> items = new ArrayList<>();
        List<YamlNode> list = ((YamlList) n).items();
        for (int i = 0; i < list.size(); i++) {
            YamlNode item = list.get(i);
            if (item instanceof YamlScalar s && !s.isNull()) {
                items.add(s);
            } else {
                problems.add(item.location(), Paths.item(path(key), i), "wrong-type",
                        "each item of '" + key + "' must be a " + itemName + ", not " + item.kind());
            }
        }
        return items;
    }

    void wrongType(String key, String expected, YamlNode actual) {
        problems.add(actual.location(), path(key), "wrong-type",
                "'" + key + "' must be " + expected + ", not " + actual.kind());
    }
}
