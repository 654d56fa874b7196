package dev.sluice.engine.layout;

import java.util.List;
import java.util.Objects;

/**
 * Where to draw each task and each edge, in pixels, origin top left, flowing left to right.
 *
 * @param engine what computed it: {@code elk} (ELK layered) or {@code layers} (the plain
 *               layering used for large graphs)
 * @param width  the drawing's width, padding included
 * @param height the drawing's height, padding included
 * @param nodes  one box per task, in plan order
 * @param edges  one route per needs edge, in the order of the input edges
 */
public record Layout(String engine, int width, int height, List<Node> nodes, List<Edge> edges) {

    public static final String ELK = "elk";
    public static final String LAYERS = "layers";

    public Layout {
        Objects.requireNonNull(engine, "engine");
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /** A task's box: {@code x, y} is its top left corner. */
    public record Node(String id, int x, int y, int width, int height) {
        public Node {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * An edge's route from the right side of {@code from} to the left side of {@code to}: the
     * start point, the bend points, the end point (at least two points; the arrow head goes at
     * the last one).
     */
    public record Edge(String from, String to, List<Point> points) {
        public Edge {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            points = List.copyOf(points);
        }
    }

    public record Point(int x, int y) {}
}
