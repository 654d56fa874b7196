package dev.sluice.engine.designer;

import dev.sluice.engine.designer.Steps.Item;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * The document as written, for the designer's panels: the pipeline fields (absent ones null; an
 * absent params, defaults or env an empty map) and each step with its fields in file order and
 * the lines it spans. Values are typed as the pipeline reader types them.
 */
final class DocumentModel {

    private DocumentModel() {
    }

    static Map<String, Object> of(Doc d) {
        MappingNode root = d.rootMap();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", value(root, "name"));
        m.put("description", value(root, "description"));
        m.put("params", orEmpty(value(root, "params")));
        m.put("schedule", value(root, "schedule"));
        m.put("concurrency", value(root, "concurrency"));
        m.put("defaults", orEmpty(value(root, "defaults")));
        m.put("env", orEmpty(value(root, "env")));
        List<Map<String, Object>> steps = new ArrayList<>();
        if (root != null) {
            for (Item it : new Steps(d).items) steps.add(step(d, it));
        }
        m.put("steps", steps);
        m.put("spelling", spelling(d));
        return m;
    }

    /**
     * Numbers written otherwise than JSON writes them ({@code 1.0}, {@code 1e3}, {@code 0.50}),
     * which a browser reads back as {@code 1}, {@code 1000}, {@code 0.5}: their text by path
     * ({@code params.NAME}, {@code steps.ID.matrix.DIM.I}), so the forms show them as written.
     */
    static Map<String, String> spelling(Doc d) {
        Map<String, String> out = new LinkedHashMap<>();
        MappingNode root = d.rootMap();
        if (root == null) return out;
        if (Doc.get(root, "params") instanceof MappingNode params) {
            for (NodeTuple t : params.getValue()) spell(d, "params." + Doc.keyOf(t), t.getValueNode(), out);
        }
        for (Item it : new Steps(d).items) {
            if (it.map() == null || it.id() == null) continue;
            if (Doc.get(it.map(), "matrix") instanceof MappingNode matrix) {
                for (NodeTuple t : matrix.getValue()) {
                    String base = "steps." + it.id() + ".matrix." + Doc.keyOf(t);
                    if (t.getValueNode() instanceof org.yaml.snakeyaml.nodes.SequenceNode seq) {
                        for (int i = 0; i < seq.getValue().size(); i++) spell(d, base + "." + i, seq.getValue().get(i), out);
                    } else {
                        spell(d, base, t.getValueNode(), out);
                    }
                }
            }
        }
        return out;
    }

    private static void spell(Doc d, String path, Node n, Map<String, String> out) {
        if (!(n instanceof org.yaml.snakeyaml.nodes.ScalarNode s)) return;
        Object v = Scalars.value(s);
        if (!(v instanceof Double x) || x.isNaN() || x.isInfinite()) return;
        String source = s.getValue();
        String json = x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString(x.longValue())
                : new java.math.BigDecimal(source).stripTrailingZeros().toPlainString();
        if (!json.equals(source)) out.put(path, source);
    }

    /** Step ids in file order (null for an item without one): what a problem's {@code steps[i]} points at. */
    static List<String> stepIds(Doc d) {
        List<String> ids = new ArrayList<>();
        if (d.rootMap() != null) for (Item it : new Steps(d).items) ids.add(it.id());
        return ids;
    }

    private static Map<String, Object> step(Doc d, Item it) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", it.id());
        Map<String, Object> fields = new LinkedHashMap<>();
        if (it.map() != null) {
            for (NodeTuple t : it.map().getValue()) {
                String key = Doc.keyOf(t);
                if (key != null && !key.equals("id")) fields.putIfAbsent(key, Scalars.value(t.getValueNode()));
            }
        }
        s.put("fields", fields);
        Node n = it.node();
        s.put("line", d.line(d.start(n)));
        s.put("endLine", d.line(Math.max(d.start(n), d.contentEnd(n) - 1)));
        return s;
    }

    private static Object value(MappingNode root, String key) {
        Node n = Doc.get(root, key);
        return n == null ? null : Scalars.value(n);
    }

    private static Object orEmpty(Object v) {
        return v == null ? new LinkedHashMap<>() : v;
    }
}
