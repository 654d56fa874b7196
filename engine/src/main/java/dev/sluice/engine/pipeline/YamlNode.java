package dev.sluice.engine.pipeline;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A node of a YAML document as the token pass read it, with where it is. Scalars keep the text as
 * written ({@code 1.10} stays {@code "1.10"}) beside the value YAML gives it.
 */
sealed interface YamlNode permits YamlNode.YamlMap, YamlNode.YamlList, YamlNode.YamlScalar {

    Location location();

    /** For messages: {@code a string}, {@code a list}... */
    String kind();

    /** A mapping; keys in file order. Built only by the reader, which hands over its map. */
    record YamlMap(Location location, Map<String, Entry> entries) implements YamlNode {
        public YamlMap {
            entries = Collections.unmodifiableMap(entries);
        }

        public String kind() {
            return "a mapping";
        }

        YamlNode get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }
    }

    /** A key, where it is, and its value. */
    record Entry(String key, Location keyLocation, YamlNode value) {
    }

    /** A list. Built only by the reader, which hands over its list. */
    record YamlList(Location location, List<YamlNode> items) implements YamlNode {
        public YamlList {
            items = Collections.unmodifiableList(items);
        }

        public String kind() {
            return "a list";
        }
    }

    /**
     * A scalar.
     *
     * @param value   String, Long, java.math.BigInteger, Double, Boolean, or null for YAML null
     * @param text    the scalar's text after YAML unquoting
     * @param style   {@code ' '} plain, {@code '\''} or {@code '"'} quoted, {@code '|'} literal, {@code '>'} folded
     * @param endLine the line (1-based) where the scalar ends in the file
     */
    record YamlScalar(Location location, Object value, String text, char style, int endLine) implements YamlNode {
        public String kind() {
            if (value == null) return "null";
            if (value instanceof String) return "a string";
            if (value instanceof Boolean) return "a boolean";
            return "a number";
        }

        boolean isNull() {
            return value == null;
        }
    }
}
