package dev.sluice.engine.layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plain layering for graphs too large for ELK: longest-path layers, barycenter ordering
 * (alternating sweeps down and up the layers), and boxes on a grid of rows so that the gap
 * between two rows is a channel free across every layer. An edge between neighbouring layers
 * bends once in the gap before its target; a longer edge leaves its source, runs along the
 * channel next to the source's row, and comes down or up in the gap before its target: no edge
 * crosses a box, though edges may share a channel. Linear in boxes and edges per sweep.
 */
final class LayerLayouter {

    private static final int SWEEPS = 8;

    private final Spacing spacing;

    LayerLayouter(Spacing spacing) {
        this.spacing = spacing;
    }

    Layout layout(Graph graph) {
        int n = graph.boxes().size();
        Map<String, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) index.put(graph.boxes().get(i).id(), i);
        int[][] parents = adjacency(graph, index, true);
        int[][] children = adjacency(graph, index, false);

        int[] layer = layers(parents, children);
        int layerCount = 0;
        for (int l : layer) layerCount = Math.max(layerCount, l + 1);
        int[][] rows = order(layer, layerCount, parents, children);

        int rowHeight = 1;
        for (Graph.Box b : graph.boxes()) rowHeight = Math.max(rowHeight, b.height());
        int[] layerWidth = new int[layerCount];
        for (int i = 0; i < n; i++) layerWidth[layer[i]] = Math.max(layerWidth[layer[i]], graph.boxes().get(i).width());
        int[] layerX = new int[layerCount];
        int x = spacing.padding();
        for (int l = 0; l < layerCount; l++) {
            layerX[l] = x;
            x += layerWidth[l] + spacing.betweenLayers();
        }
        int width = layerCount == 0 ? 2 * spacing.padding() : x - spacing.betweenLayers() + spacing.padding();
        int maxRows = 0;
        for (int[] r : rows) maxRows = Math.max(maxRows, r.length);

        // a layer's boxes sit in the middle rows of the grid
        int[] row = new int[n];
        for (int[] r : rows) {
            int offset = (maxRows - r.length) / 2;
            for (int k = 0; k < r.length; k++) row[r[k]] = offset + k;
        }
        int pitch = rowHeight + spacing.nodeNode();
        List<Layout.Node> nodes = new ArrayList<>(n);
        int[] top = new int[n];
        for (int i = 0; i < n; i++) {
            Graph.Box b = graph.boxes().get(i);
            top[i] = spacing.padding() + row[i] * pitch + (rowHeight - b.height()) / 2;
            nodes.add(new Layout.Node(b.id(), layerX[layer[i]], top[i], b.width(), b.height()));
        }
        int height = maxRows == 0 ? 2 * spacing.padding() : 2 * spacing.padding() + maxRows * pitch - spacing.nodeNode();

        List<Layout.Edge> edges = new ArrayList<>(graph.links().size());
        for (Graph.Link link : graph.links()) {
            int s = index.get(link.from());
            int t = index.get(link.to());
            Graph.Box sb = graph.boxes().get(s);
            Graph.Box tb = graph.boxes().get(t);
            int sx = layerX[layer[s]] + sb.width();
            int sy = top[s] + sb.height() / 2;
            int tx = layerX[layer[t]];
            int ty = top[t] + tb.height() / 2;
            int beforeTarget = tx - spacing.betweenLayers() / 2;
            List<Layout.Point> points = new ArrayList<>(6);
            points.add(new Layout.Point(sx, sy));
            if (layer[t] == layer[s] + 1) {
                if (sy != ty) {
                    points.add(new Layout.Point(beforeTarget, sy));
                    points.add(new Layout.Point(beforeTarget, ty));
                }
            } else {
                int afterSource = layerX[layer[s]] + layerWidth[layer[s]] + spacing.betweenLayers() / 2;
                int channel = ty >= sy
                        ? spacing.padding() + (row[s] + 1) * pitch - spacing.nodeNode() / 2
                        : spacing.padding() + row[s] * pitch - spacing.nodeNode() / 2;
                points.add(new Layout.Point(afterSource, sy));
                points.add(new Layout.Point(afterSource, channel));
                points.add(new Layout.Point(beforeTarget, channel));
                points.add(new Layout.Point(beforeTarget, ty));
            }
            points.add(new Layout.Point(tx, ty));
            edges.add(new Layout.Edge(link.from(), link.to(), points));
        }
        return new Layout(Layout.LAYERS, width, height, nodes, edges);
    }

    private static int[][] adjacency(Graph graph, Map<String, Integer> index, boolean toParents) {
        int n = graph.boxes().size();
        int[] count = new int[n];
        for (Graph.Link l : graph.links()) count[index.get(toParents ? l.to() : l.from())]++;
        int[][] adj = new int[n][];
        for (int i = 0; i < n; i++) adj[i] = new int[count[i]];
        int[] fill = new int[n];
        for (Graph.Link l : graph.links()) {
            int from = index.get(l.from());
            int to = index.get(l.to());
            if (toParents) adj[to][fill[to]++] = from;
            else adj[from][fill[from]++] = to;
        }
        return adj;
    }

    /** Longest path from a source, over a topological order (Kahn's, earliest box first). */
    private static int[] layers(int[][] parents, int[][] children) {
        int n = parents.length;
        int[] waiting = new int[n];
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        for (int v = 0; v < n; v++) {
            waiting[v] = parents[v].length;
            if (waiting[v] == 0) queue[tail++] = v;
        }
        int[] layer = new int[n];
        while (head < tail) {
            int v = queue[head++];
            for (int c : children[v]) {
                layer[c] = Math.max(layer[c], layer[v] + 1);
                if (--waiting[c] == 0) queue[tail++] = c;
            }
        }
        if (tail != n) throw new IllegalArgumentException("the graph has a cycle");
        return layer;
    }

    /**
     * Each layer's boxes top to bottom: first in input order, then sorted by the mean position of
     * their parents (sweeping down) or children (sweeping up); a box with none keeps its place.
     * Positions are relative (0 top, 1 bottom) as layers differ in size. Sorting is stable, so
     * ties keep the previous order and the result is deterministic.
     */
    private static int[][] order(int[] layer, int layerCount, int[][] parents, int[][] children) {
        int n = layer.length;
        int[] size = new int[layerCount];
        for (int l : layer) size[l]++;
        int[][] rows = new int[layerCount][];
        for (int l = 0; l < layerCount; l++) rows[l] = new int[size[l]];
        int[] fill = new int[layerCount];
        for (int v = 0; v < n; v++) rows[layer[v]][fill[layer[v]]++] = v;
        double[] position = new double[n];
        for (int[] r : rows) place(r, position);

        double[] key = new double[n];
        for (int sweep = 0; sweep < SWEEPS; sweep++) {
            boolean down = sweep % 2 == 0;
            for (int k = 0; k < layerCount; k++) {
                int[] r = rows[down ? k : layerCount - 1 - k];
                for (int v : r) {
                    int[] neighbours = down ? parents[v] : children[v];
                    if (neighbours.length == 0) {
                        key[v] = position[v];
                    } else {
                        double sum = 0;
                        for (int u : neighbours) sum += position[u];
                        key[v] = sum / neighbours.length;
                    }
                }
                Integer[] boxed = Arrays.stream(r).boxed().toArray(Integer[]::new);
                Arrays.sort(boxed, (a, b) -> Double.compare(key[a], key[b]));
                for (int i = 0; i < r.length; i++) r[i] = boxed[i];
                place(r, position);
            }
        }
        return rows;
    }

    private static void place(int[] row, double[] position) {
        for (int k = 0; k < row.length; k++) position[row[k]] = row.length == 1 ? 0.5 : (double) k / (row.length - 1);
    }
}
