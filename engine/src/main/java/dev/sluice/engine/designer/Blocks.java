package dev.sluice.engine.designer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The text surgery: set or remove one key of a mapping, insert or remove one item of a list,
 * each as one replacement of the smallest span that holds the change, so every other byte of the
 * file stays as it was. A flow collection ({@code {a: 1}}, {@code [x]}) that an edit changes is
 * written again whole, in flow style; a new block follows the indentation of the file.
 */
final class Blocks {

    private Blocks() {
    }

    /** Spaces per nesting level in this file: the first indented block under a top-level key says; else 2. */
    static int unit(Doc d) {
        MappingNode root = d.rootMap();
        if (root == null || Doc.isFlow(root)) return 2;
        for (NodeTuple t : root.getValue()) {
            Node v = t.getValueNode();
            if (v instanceof MappingNode || v instanceof SequenceNode) {
                if (Doc.isFlow(v) || ((org.yaml.snakeyaml.nodes.CollectionNode<?>) v).getValue().isEmpty()) continue;
                int first = v instanceof SequenceNode s ? dash(d, s.getValue().get(0)) : d.start(v);
                int diff = d.column(first) - d.column(d.start(t.getKeyNode()));
                if (diff > 0 && diff <= 8) return diff;
            }
        }
        return 2;
    }

    static YamlWriter writer(Doc d) {
        return new YamlWriter(unit(d), d.nl);
    }

    /**
     * Sets {@code key} of a mapping to a value ({@code null}: removes it). An existing key keeps its
     * place and its comments; a new one goes after the keys that come before it in {@code order}.
     */
    static Doc set(Doc d, MappingNode map, String key, Object value, SpecOrder order) {
        if (value == null) return remove(d, map, key);
        YamlWriter w = writer(d);
        SpecOrder valueOrder = order.child(key);
        if (Doc.isFlow(map)) {
            Map<String, Object> m = flowValues(d, map);
            m.put(key, value);
            return d.replace(d.start(map), d.end(map), YamlWriter.flow(sorted(m, order, Doc.entry(map, key) == null)));
        }
        NodeTuple t = Doc.entry(map, key);
        String inline = w.inline(value);
        if (t != null) {
            Node v = t.getValueNode();
            boolean oldInline = !(v instanceof MappingNode || v instanceof SequenceNode) || Doc.isFlow(v);
            if (inline != null && oldInline && !Doc.isBlockScalar(v) && !d.isEmpty(v)) {
                return d.replace(d.start(v), d.end(v), inline);
            }
            int colon = colonAfter(d, t.getKeyNode());
            int keyColumn = d.column(d.start(t.getKeyNode()));
            String with = inline != null ? " " + inline : stripNl(d, w.blockAfterKey(value, keyColumn, valueOrder));
            return d.replace(colon + 1, d.contentEnd(v), with);
        }
        int keyColumn = d.column(d.start(map.getValue().get(0).getKeyNode()));
        String lines = w.entry(key, value, keyColumn, valueOrder);
        NodeTuple before = predecessor(map, key, order);
        if (before == null && d.firstOnLine(d.start(map.getValue().get(0).getKeyNode()))) {
            int at = d.lineStart(d.start(map.getValue().get(0).getKeyNode()));
            return d.replace(at, at, lines);
        }
        if (before == null) before = map.getValue().get(map.getValue().size() - 1);
        return insertAfterLine(d, d.contentEnd(before.getValueNode()), lines);
    }

    /** Removes {@code key} (and its value's lines, with the comments on them) from a mapping; absent: unchanged. */
    static Doc remove(Doc d, MappingNode map, String key) {
        NodeTuple t = Doc.entry(map, key);
        if (t == null) return d;
        if (Doc.isFlow(map)) {
            Map<String, Object> m = flowValues(d, map);
            m.remove(key);
            return d.replace(d.start(map), d.end(map), YamlWriter.flow(m));
        }
        int from = d.start(t.getKeyNode());
        int to = d.contentEnd(t.getValueNode());
        if (d.firstOnLine(from)) return d.replace(d.lineStart(from), d.nextLineStart(to), "");
        int index = map.getValue().indexOf(t);
        if (index + 1 < map.getValue().size()) {
            return d.replace(from, d.start(map.getValue().get(index + 1).getKeyNode()), "");
        }
        return d.replace(from, to, "{}");
    }

    /** Inserts an item into a list after item {@code after} (-1: first). */
    static Doc insertItem(Doc d, SequenceNode seq, int after, Object item, SpecOrder order) {
        List<Node> items = seq.getValue();
        if (Doc.isFlow(seq)) {
            List<Object> values = new ArrayList<>();
            for (Node n : items) values.add(flowValue(d, n));
            values.add(after + 1, item);
            return d.replace(d.start(seq), d.end(seq), YamlWriter.flow(values));
        }
        int dash = dash(d, items.get(0));
        int offset = d.lineStart(d.start(items.get(0))) == d.lineStart(dash) ? d.start(items.get(0)) - dash : 2;
        String lines = writer(d).item(item, d.column(dash), offset, order);
        if (after < 0) {
            int at = d.lineStart(dash(d, items.get(0)));
            return d.replace(at, at, lines + (blankBetweenItems(d, seq) ? d.nl : ""));
        }
        return insertAfterLine(d, d.contentEnd(items.get(after)), (blankBetweenItems(d, seq) ? d.nl : "") + lines);
    }

    /** Removes item {@code index} of a list with more than one item (and one blank line that separated it). */
    static Doc removeItem(Doc d, SequenceNode seq, int index) {
        List<Node> items = seq.getValue();
        if (Doc.isFlow(seq)) {
            List<Object> values = new ArrayList<>();
            for (Node n : items) values.add(flowValue(d, n));
            values.remove(index);
            return d.replace(d.start(seq), d.end(seq), YamlWriter.flow(values));
        }
        Node item = items.get(index);
        int from = d.lineStart(dash(d, item));
        int to = d.nextLineStart(d.contentEnd(item));
        if (blankBetweenItems(d, seq)) {
            if (index > 0 && from > 0 && d.blankLine(d.lineStart(from - 1))) {
                from = d.lineStart(from - 1);
            } else if (to < d.text.length() && d.blankLine(to)) {
                to = d.nextLineStart(to);
            }
        }
        return d.replace(from, to, "");
    }

    /** Replaces a scalar with another value written on one line. */
    static Doc replaceScalar(Doc d, Node scalar, Object value) {
        return d.replace(d.start(scalar), d.end(scalar), YamlWriter.scalar(value, false));
    }

    /** Whether items of a block list are separated by blank lines (new items then are too). */
    static boolean blankBetweenItems(Doc d, SequenceNode seq) {
        List<Node> items = seq.getValue();
        for (int i = 0; i + 1 < items.size(); i++) {
            int line = d.nextLineStart(d.contentEnd(items.get(i)));
            int next = d.lineStart(dash(d, items.get(i + 1)));
            for (int at = line; at < next; at = d.nextLineStart(at)) {
                if (d.blankLine(at)) return true;
            }
        }
        return false;
    }

    /** The offset of the {@code -} of a block list item. */
    static int dash(Doc d, Node item) {
        int i = d.start(item) - 1;
        while (i >= 0 && d.text.charAt(i) != '-') i--;
        return Math.max(i, 0);
    }

    /** The value of a node for writing it again in flow style: one-line scalars exactly as written. */
    static Object flowValue(Doc d, Node n) {
        if (n instanceof ScalarNode s) {
            String source = d.text.substring(d.start(s), d.end(s));
            return source.indexOf('\n') < 0 && source.indexOf('\r') < 0 && !Doc.isBlockScalar(s)
                    ? new YamlWriter.Raw(source) : Scalars.value(s);
        }
        if (n instanceof SequenceNode seq) {
            List<Object> out = new ArrayList<>();
            for (Node item : seq.getValue()) out.add(flowValue(d, item));
            return out;
        }
        return flowValues(d, (MappingNode) n);
    }

    private static Map<String, Object> flowValues(Doc d, MappingNode map) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String k = Doc.keyOf(t);
            if (k != null) m.putIfAbsent(k, flowValue(d, t.getValueNode()));
        }
        return m;
    }

    /** A new key moved to its place in {@code order} among the others, which keep theirs. */
    private static Map<String, Object> sorted(Map<String, Object> m, SpecOrder order, boolean isNew) {
        if (!isNew || order == SpecOrder.FREE) return m;
        List<String> keys = new ArrayList<>(m.keySet());
        String added = keys.remove(keys.size() - 1);
        int at = keys.size();
        int rank = order.rank(added);
        if (rank >= 0) {
            for (int i = keys.size() - 1; i >= -1; i--) {
                if (i < 0 || order.rank(keys.get(i)) >= 0 && order.rank(keys.get(i)) < rank) {
                    at = i + 1;
                    break;
                }
            }
        }
        keys.add(at, added);
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : keys) out.put(k, m.get(k));
        return out;
    }

    /** The entry a new key goes after: the one of highest rank below the key's; null when none. */
    private static NodeTuple predecessor(MappingNode map, String key, SpecOrder order) {
        int rank = order.rank(key);
        if (rank < 0) return map.getValue().get(map.getValue().size() - 1);
        NodeTuple best = null;
        int bestRank = -1;
        for (NodeTuple t : map.getValue()) {
            String k = Doc.keyOf(t);
            int r = k == null ? -1 : order.rank(k);
            if (r >= 0 && r < rank && r >= bestRank) {
                best = t;
                bestRank = r;
            }
        }
        return best;
    }

    private static Doc insertAfterLine(Doc d, int offset, String lines) {
        int at = d.nextLineStart(offset);
        boolean noBreak = at == d.text.length() && at > 0 && d.text.charAt(at - 1) != '\n' && d.text.charAt(at - 1) != '\r';
        return d.replace(at, at, (noBreak ? d.nl : "") + lines);
    }

    private static int colonAfter(Doc d, Node key) {
        int i = d.end(key);
        while (i < d.text.length() && d.text.charAt(i) != ':') i++;
        return i;
    }

    private static String stripNl(Doc d, String s) {
        return s.endsWith(d.nl) ? s.substring(0, s.length() - d.nl.length()) : s;
    }
}
