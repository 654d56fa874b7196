package dev.sluice.engine.lineage;

import java.util.List;
import java.util.Map;

/**
 * A lineage graph: the shape of {@code GET /api/lineage}.
 *
 * @param root      the id of the node asked about
 * @param truncated true when the node limit stopped the walk
 * @param cut       ids of nodes whose parents were not expanded (the depth or the node limit was reached)
 */
public record LineageGraph(String root, List<Node> nodes, List<Edge> edges, boolean truncated, List<String> cut) {

    /**
     * @param type  run | attempt | artifact | pipeline_version | model_version | code_version | file | params
     * @param href  a designer route ({@code #/runs/ID}) or an API URL ({@code /api/artifacts/SHA}); may be null
     */
    public record Node(String id, String type, String label, Map<String, Object> data, String href) {}

    /** @param type produced | consumed | registered_as | ran | version_of | read */
    public record Edge(String from, String to, String type) {}

    public LineageGraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        cut = List.copyOf(cut);
    }

    public Node node(String id) {
        for (Node n : nodes) if (n.id().equals(id)) return n;
        return null;
    }
}
