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
        return m;
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
