package dev.sluice.engine.designer;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Setting a field to a whole new value (what the forms send: all params, the whole matrix, the
 * whole schedule) as the smallest set of changes: a value equal to the one written changes
 * nothing; a block mapping is changed key by key (so the comments and spelling of the other keys
 * stay); a list of the same length is changed item by item; a number equal to the one written
 * ({@code 1} sent for {@code 1.0}) keeps the file's spelling.
 */
final class Merge {

    private Merge() {
    }

    /**
     * Sets {@code key} of the mapping {@code parent} finds in a document (found again after each
     * change, as every change parses the text again).
     */
    static Doc set(Doc d, Function<Doc, MappingNode> parent, String key, Object value, SpecOrder order) {
        MappingNode map = parent.apply(d);
        NodeTuple t = map == null ? null : Doc.entry(map, key);
        if (t == null || value == null) return Blocks.set(d, map, key, value, order);
        Node old = t.getValueNode();
        if (same(old, value)) return d;
        Function<Doc, Node> at = doc -> Doc.get(parent.apply(doc), key);
        if (old instanceof MappingNode m && !Doc.isFlow(m) && !m.getValue().isEmpty()
                && value instanceof Map<?, ?> nv && !nv.isEmpty()) {
            Function<Doc, MappingNode> child = doc -> (MappingNode) at.apply(doc);
            SpecOrder childOrder = order.child(key);
            for (Map.Entry<?, ?> e : nv.entrySet()) {
                Object v = e.getValue();
                String k = String.valueOf(e.getKey());
                if (v == null && childOrder == SpecOrder.FREE) {
                    NodeTuple had = Doc.entry(child.apply(d), k);
                    if (had != null && same(had.getValueNode(), null)) continue;
                }
                d = set(d, child, k, v, childOrder);
            }
            List<String> gone = new ArrayList<>();
            for (NodeTuple e : child.apply(d).getValue()) {
                String k = Doc.keyOf(e);
                if (k != null && !nv.containsKey(k)) gone.add(k);
            }
            for (String k : gone) d = Blocks.remove(d, child.apply(d), k);
            return d;
        }
        if (old instanceof SequenceNode seq && !Doc.isFlow(seq) && value instanceof List<?> nl
                && nl.size() == seq.getValue().size() && allScalars(seq, nl)) {
            for (int i = 0; i < nl.size(); i++) {
                Node item = ((SequenceNode) at.apply(d)).getValue().get(i);
                if (!same(item, nl.get(i))) d = Blocks.replaceScalar(d, item, nl.get(i));
            }
            return d;
        }
        return Blocks.set(d, map, key, keepSpelling(d, old, value), order);
    }

    private static boolean allScalars(SequenceNode seq, List<?> values) {
        for (Node n : seq.getValue()) if (!(n instanceof ScalarNode) || Doc.isBlockScalar(n)) return false;
        for (Object v : values) if (v instanceof Map<?, ?> || v instanceof List<?> || v instanceof String s && s.contains("\n")) return false;
        return true;
    }

    /** The new value with every scalar equal to the one written at the same place replaced by the file's source text. */
    static Object keepSpelling(Doc d, Node old, Object value) {
        if (old == null) return value;
        if (old instanceof ScalarNode s) {
            if (Doc.isBlockScalar(s) || value instanceof Map<?, ?> || value instanceof List<?>) return value;
            String source = d.text.substring(d.start(s), d.end(s));
            if (source.isEmpty() || source.indexOf('\n') >= 0 || source.indexOf('\r') >= 0) return value;
            if (same(s, value)) return new YamlWriter.Raw(source);
            // a changed string keeps the quotes it was written with
            if (value instanceof String str && str.indexOf('\n') < 0 && str.indexOf('\r') < 0) {
                if (s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.DOUBLE_QUOTED) {
                    return new YamlWriter.Raw(YamlWriter.quoted(str));
                }
                if (s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.SINGLE_QUOTED && YamlWriter.quoted(str).equals("\"" + str.replace("\"", "\\\"") + "\"")) {
                    return new YamlWriter.Raw("'" + str.replace("'", "''") + "'");
                }
            }
            return value;
        }
        if (old instanceof SequenceNode seq && value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(i < seq.getValue().size() ? keepSpelling(d, seq.getValue().get(i), list.get(i)) : list.get(i));
            }
            return out;
        }
        if (old instanceof MappingNode m && value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String k = String.valueOf(e.getKey());
                out.put(k, keepSpelling(d, Doc.get(m, k), e.getValue()));
            }
            return out;
        }
        return value;
    }

    /** Whether a node as written reads as the value (numbers compared as numbers: 1.0 is 1). */
    static boolean same(Node n, Object value) {
        return equal(Scalars.value(n), value);
    }

    static boolean equal(Object a, Object b) {
        if (a instanceof YamlWriter.Raw r) a = rawValue(r);
        if (b instanceof YamlWriter.Raw r) b = rawValue(r);
        if (a == null || b == null) return a == b;
        if (a instanceof Number x && b instanceof Number y) {
            if (special(x) || special(y)) return x.doubleValue() == y.doubleValue() || special(x) && special(y) && Double.isNaN(x.doubleValue()) && Double.isNaN(y.doubleValue());
            return decimal(x).compareTo(decimal(y)) == 0;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            Map<String, Object> ys = new LinkedHashMap<>();
            for (Map.Entry<?, ?> f : y.entrySet()) ys.put(String.valueOf(f.getKey()), f.getValue());
            if (x.size() != ys.size()) return false;
            for (Map.Entry<?, ?> e : x.entrySet()) {
                String k = String.valueOf(e.getKey());
                if (!ys.containsKey(k) || !equal(e.getValue(), ys.get(k))) return false;
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) if (!equal(x.get(i), y.get(i))) return false;
            return true;
        }
        return a.equals(b);
    }

    private static Object rawValue(YamlWriter.Raw r) {
        return Scalars.plainValue(r.source());
    }

    private static boolean special(Number n) {
        return (n instanceof Double || n instanceof Float) && (Double.isNaN(n.doubleValue()) || Double.isInfinite(n.doubleValue()));
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal b) return b;
        if (n instanceof Double || n instanceof Float) return BigDecimal.valueOf(n.doubleValue());
        return new BigDecimal(n.toString());
    }
}
