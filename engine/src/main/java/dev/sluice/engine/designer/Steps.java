package dev.sluice.engine.designer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** The {@code steps} of a document as written: each item, its id and its needs, and paths along needs. */
final class Steps {

    /** One item of {@code steps}: its index, its mapping (null when it is not one) and id (null when missing). */
    record Item(int index, Node node, MappingNode map, String id) {
    }

    final SequenceNode seq;
    final List<Item> items = new ArrayList<>();
    private final Map<String, Item> byId = new LinkedHashMap<>();

    Steps(Doc d) {
        Node n = Doc.get(d.rootMap(), "steps");
        seq = n instanceof SequenceNode s ? s : null;
        if (seq == null) return;
        for (Node item : seq.getValue()) {
            MappingNode map = item instanceof MappingNode m ? m : null;
            String id = map != null && Doc.get(map, "id") instanceof ScalarNode s ? s.getValue() : null;
            Item it = new Item(items.size(), item, map, id);
            items.add(it);
            if (id != null) byId.putIfAbsent(id, it);
        }
    }

    Item get(String id) {
        return byId.get(id);
    }

    /** @throws EditRefused unknown-step */
    Item require(String id) {
        Item it = byId.get(id);
        if (it == null || it.map() == null) throw EditRefused.conflict("unknown-step", "no step '" + id + "'");
        return it;
    }

    boolean has(String id) {
        return byId.containsKey(id);
    }

    /** The ids a step needs, as written (a lone string counts as a list of one). */
    static List<String> needs(MappingNode step) {
        Node n = Doc.get(step, "needs");
        List<String> out = new ArrayList<>();
        if (n instanceof ScalarNode s) {
            Object v = Scalars.value(s);
            if (v != null) out.add(s.getValue());
        } else if (n instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) if (item instanceof ScalarNode s) out.add(s.getValue());
        }
        return out;
    }

    /**
     * A path along needs edges from {@code from} down to {@code to} (each step followed by one that
     * needs it), as ids; empty when none.
     */
    List<String> path(String from, String to) {
        Map<String, List<String>> dependents = new HashMap<>();
        for (Item it : items) {
            if (it.id() == null || it.map() == null) continue;
            for (String need : needs(it.map())) dependents.computeIfAbsent(need, k -> new ArrayList<>()).add(it.id());
        }
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(from);
        cameFrom.put(from, null);
        while (!queue.isEmpty()) {
            String at = queue.poll();
            if (at.equals(to)) {
                List<String> path = new ArrayList<>();
                for (String s = to; s != null; s = cameFrom.get(s)) path.add(0, s);
                return path;
            }
            for (String next : dependents.getOrDefault(at, List.of())) {
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.add(next);
                }
            }
        }
        return List.of();
    }

    /**
     * @throws EditRefused cycle, naming it ({@code a -> b -> a}), when {@code to} needing
     *                     {@code from} would close one
     */
    void refuseCycle(String from, String to) {
        List<String> back = path(to, from);
        if (from.equals(to) || !back.isEmpty()) {
            List<String> cycle = new ArrayList<>();
            cycle.add(from);
            cycle.addAll(from.equals(to) ? List.of(to) : back);
            throw EditRefused.conflict("cycle", "'" + to + "' cannot need '" + from + "': that makes a cycle "
                    + String.join(" -> ", cycle));
        }
    }
}
