package dev.sluice.engine.layout;

import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out a plan: ELK layered up to {@link #ELK_LIMIT} boxes and edges together, the plain
 * {@link LayerLayouter} above (ELK's crossing minimisation and routing grow too slow for a
 * request there; see {@code LayoutBench}). The choice depends only on the graph's size, so a
 * plan always gets the same engine and the same coordinates. Thread-safe.
 */
public final class Layouts {

    /** Boxes plus edges above which the plain layering is used. */
    public static final int ELK_LIMIT = 3000;
    /** Box height: two lines of text (the id, a summary of the command) and a row of badges. */
    public static final int NODE_HEIGHT = 48;
    public static final int MIN_NODE_WIDTH = 180;
    public static final int MAX_NODE_WIDTH = 320;

    private final Spacing spacing;
    private final int elkLimit;
    private final ElkLayouter elk;

    public Layouts() {
        this(Spacing.DEFAULT, ELK_LIMIT);
    }

    /** @param elkLimit boxes plus edges above which the plain layering is used */
    public Layouts(Spacing spacing, int elkLimit) {
        this.spacing = spacing;
        this.elkLimit = elkLimit;
        this.elk = new ElkLayouter(spacing);
    }

    /** Every task as a box, every needs edge routed (redundant ones too: they are in the file). */
    public Layout layout(Plan plan) {
        return layout(graph(plan));
    }

    public Layout layout(Graph graph) {
        if (graph.boxes().size() + graph.links().size() > elkLimit) return new LayerLayouter(spacing).layout(graph);
        return elk.layout(graph);
    }

    /** The plan's tasks in plan order, each with every one of its needs as an edge. */
    public static Graph graph(Plan plan) {
        List<Graph.Box> boxes = new ArrayList<>(plan.tasks().size());
        List<Graph.Link> links = new ArrayList<>();
        for (Task t : plan.tasks()) {
            boxes.add(new Graph.Box(t.id(), width(t.id()), NODE_HEIGHT));
            for (String need : t.needs()) links.add(new Graph.Link(need, t.id()));
        }
        return new Graph(boxes, links);
    }

    /** Wide enough for the id in a 12 px monospace font (7 px a character) and 16 px of margins, within bounds. */
    static int width(String id) {
        return Math.max(MIN_NODE_WIDTH, Math.min(MAX_NODE_WIDTH, 16 + 7 * id.codePointCount(0, id.length())));
    }
}
