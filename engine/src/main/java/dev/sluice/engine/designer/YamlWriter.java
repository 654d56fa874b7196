package dev.sluice.engine.designer;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes values as a person writes YAML by hand: block mappings, keys in {@link SpecOrder}, short
 * lists of scalars in flow style ({@code [a, b]}), multi-line strings as literal blocks, quotes
 * only where a plain scalar would read back as something else. Deterministic: the same value
 * always gives the same text.
 */
final class YamlWriter {

    /** Longest flow list, in characters, before a list is written one item a line. */
    static final int FLOW_LIST_WIDTH = 60;

    /** A scalar kept exactly as the file wrote it (its one-line source text). */
    record Raw(String source) {
    }

    private final int unit;
    private final String nl;

    /**
     * @param unit spaces per nesting level
     * @param nl   line separator
     */
    YamlWriter(int unit, String nl) {
        this.unit = unit;
        this.nl = nl;
    }

    /** The value on one line after {@code key: }, or null when it must be written as a block. */
    String inline(Object v) {
        if (v instanceof Map<?, ?> m) return m.isEmpty() ? "{}" : null;
        if (v instanceof List<?> list) return flowList(list);
        if (v instanceof String s && s.indexOf('\n') >= 0 && printable(s)) return null;
        return scalar(v, false);
    }

    /** The lines of {@code key: value} at {@code indent} spaces, each ended by the line separator. */
    String entry(String key, Object v, int indent, SpecOrder order) {
        StringBuilder out = new StringBuilder();
        entry(out, key, v, indent, order);
        return out.toString();
    }

    /**
     * The lines of a list item {@code - value} with its dash at {@code indent} and its content
     * {@code offset} columns after the dash (2 for {@code "- "}, 4 for {@code "-   "}).
     */
    String item(Object v, int indent, int offset, SpecOrder order) {
        StringBuilder out = new StringBuilder();
        item(out, v, indent, Math.max(2, offset), order);
        return out.toString();
    }

    /** What follows {@code key:} for a value written as a block: a line break and the block, or {@code " |"} and lines. */
    String blockAfterKey(Object v, int keyIndent, SpecOrder order) {
        StringBuilder out = new StringBuilder();
        valueAfterKey(out, v, keyIndent, order);
        return out.toString();
    }

    /** The whole mapping as a block at {@code indent}, one {@code key: value} after another. */
    String mapping(Map<?, ?> map, int indent, SpecOrder order) {
        StringBuilder out = new StringBuilder();
        mapping(out, map, indent, order);
        return out.toString();
    }

    private void mapping(StringBuilder out, Map<?, ?> map, int indent, SpecOrder order) {
        List<String> keys = new ArrayList<>();
        for (Object k : map.keySet()) keys.add(String.valueOf(k));
        for (String k : order.sort(keys)) {
            Object v = map.get(k);
            if (v == null && order != SpecOrder.FREE) continue; // a spec key set to null is absent
            entry(out, k, v, indent, order.child(k));
        }
    }

    private void entry(StringBuilder out, String key, Object v, int indent, SpecOrder order) {
        out.append(" ".repeat(indent)).append(key(key)).append(':');
        valueAfterKey(out, v, indent, order);
    }

    private void valueAfterKey(StringBuilder out, Object v, int indent, SpecOrder order) {
        String inline = inline(v);
        if (inline != null) {
            out.append(' ').append(inline).append(nl);
        } else if (v instanceof String s) {
            literal(out, s, indent + unit);
        } else if (v instanceof Map<?, ?> m) {
            out.append(nl);
            mapping(out, m, indent + unit, order);
        } else {
            out.append(nl);
            for (Object item : (List<?>) v) item(out, item, indent + unit, order);
        }
    }

    private void item(StringBuilder out, Object v, int indent, SpecOrder order) {
        item(out, v, indent, 2, order);
    }

    private void item(StringBuilder out, Object v, int indent, int offset, SpecOrder order) {
        String pad = " ".repeat(indent);
        if (v instanceof Map<?, ?> m && !m.isEmpty()) {
            String block = mapping(m, indent + offset, order);
            out.append(pad).append('-').append(" ".repeat(offset - 1)).append(block, indent + offset, block.length());
            return;
        }
        String inline = inline(v);
        if (inline != null) {
            out.append(pad).append('-').append(" ".repeat(offset - 1)).append(inline).append(nl);
        } else if (v instanceof String s) {
            out.append(pad).append('-');
            literal(out, s, indent + 2);
        } else {
            out.append(pad).append('-').append(nl);
            for (Object item : (List<?>) v) item(out, item, indent + 2, order);
        }
    }

    /** {@code " |"} (or {@code |-}, {@code |+}, with an indentation indicator when needed) and the lines. */
    private void literal(StringBuilder out, String s, int indent) {
        String body = s;
        String chomp;
        if (!body.endsWith("\n")) {
            chomp = "-";
        } else if (body.endsWith("\n\n")) {
            chomp = "+";
        } else {
            chomp = "";
            body = body.substring(0, body.length() - 1);
        }
        if (chomp.equals("+")) body = body.substring(0, body.length() - 1);
        String indicator = body.startsWith(" ") || body.startsWith("\n") ? String.valueOf(unit) : "";
        out.append(" |").append(indicator).append(chomp).append(nl);
        String pad = " ".repeat(indent);
        for (String line : body.split("\n", -1)) {
            if (!line.isEmpty()) out.append(pad).append(line);
            out.append(nl);
        }
    }

    private String flowList(List<?> list) {
        if (list.isEmpty()) return "[]";
        StringBuilder out = new StringBuilder("[");
        for (Object item : list) {
            if (item instanceof Map<?, ?> || item instanceof List<?>) return null;
            if (item instanceof String s && s.indexOf('\n') >= 0) return null;
            if (out.length() > 1) out.append(", ");
            out.append(scalar(item, true));
        }
        out.append(']');
        return out.length() <= FLOW_LIST_WIDTH ? out.toString() : null;
    }

    /** A value on one line in flow style, nested collections included: {@code {a: 1, b: [x, y]}}. */
    static String flow(Object v) {
        if (v instanceof Map<?, ?> m) {
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (out.length() > 1) out.append(", ");
                String k = String.valueOf(e.getKey());
                out.append(plain(k, true) ? k : quoted(k)).append(": ").append(flow(e.getValue()));
            }
            return out.append('}').toString();
        }
        if (v instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (Object item : list) {
                if (out.length() > 1) out.append(", ");
                out.append(flow(item));
            }
            return out.append(']').toString();
        }
        return scalar(v, true);
    }

    /** A scalar on one line; {@code flow}: inside {@code [ ]} or {@code { }}. */
    static String scalar(Object v, boolean flow) {
        if (v instanceof Raw raw) return raw.source();
        if (v == null) return "null";
        if (v instanceof Boolean || v instanceof Long || v instanceof Integer || v instanceof java.math.BigInteger
                || v instanceof Short) {
            return v.toString();
        }
        if (v instanceof Double d) {
            if (d.isNaN()) return ".nan";
            if (d.isInfinite()) return d > 0 ? ".inf" : "-.inf";
            return d.toString();
        }
        if (v instanceof Float f) return scalar(f.doubleValue(), flow);
        if (v instanceof BigDecimal b) return b.toString();
        String s = String.valueOf(v);
        return plain(s, flow) ? s : quoted(s);
    }

    /** A mapping key: plain when it can be. */
    static String key(String k) {
        return plain(k, false) ? k : quoted(k);
    }

    static boolean plain(String s, boolean flow) {
        if (s.isEmpty() || !printable(s) || s.indexOf('\n') >= 0 || s.indexOf('\t') >= 0) return false;
        if (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))) return false;
        char c = s.charAt(0);
        if ("-?:".indexOf(c) >= 0) {
            if (s.length() == 1 || s.charAt(1) == ' ') return false;
        } else if (",[]{}#&*!|>'\"%@`".indexOf(c) >= 0) {
            return false;
        }
        if (s.contains(": ") || s.contains(" #") || s.endsWith(":")) return false;
        if (flow) {
            for (int i = 0; i < s.length(); i++) if (",[]{}".indexOf(s.charAt(i)) >= 0) return false;
            if (s.contains(":")) return false;
        }
        return !Scalars.readsAsOther(s);
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029'
                    || c == '\uFEFF' || c == '\r') {
                return false;
            }
        }
        return true;
    }

    static String quoted(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\uFEFF') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
