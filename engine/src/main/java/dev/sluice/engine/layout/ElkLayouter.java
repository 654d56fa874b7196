package dev.sluice.engine.layout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.NullElkProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * ELK layered (Sugiyama: network-simplex layering, layer-sweep crossing minimisation,
 * Brandes-Köpf placement) with orthogonal edges, flowing right. ELK's random seed is fixed, so
 * the same graph gives the same coordinates.
 *
 * <p>ELK finds its algorithms through {@code ServiceLoader} ({@code META-INF/services} entries the
 * shaded jar merges); when they are missing, e.g. in a jar built without merging them, the
 * layered algorithm is registered by hand.
 */
final class ElkLayouter {

    private final Spacing spacing;

    ElkLayouter(Spacing spacing) {
        this.spacing = spacing;
        ensureRegistered();
    }

    private static void ensureRegistered() {
        LayoutMetaDataService service = LayoutMetaDataService.getInstance();
        if (service.getAlgorithmData(LayeredOptions.ALGORITHM_ID) == null) {
            service.registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
        }
    }

    Layout layout(Graph graph) {
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
        root.setProperty(CoreOptions.PADDING, new ElkPadding(spacing.padding()));
        root.setProperty(LayeredOptions.SPACING_NODE_NODE, (double) spacing.nodeNode());
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, (double) spacing.betweenLayers());
        root.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, (double) spacing.edgeEdge());
        root.setProperty(LayeredOptions.SPACING_EDGE_EDGE_BETWEEN_LAYERS, (double) spacing.edgeEdge());
        root.setProperty(LayeredOptions.SPACING_EDGE_EDGE, (double) spacing.edgeEdge());
        root.setProperty(LayeredOptions.SPACING_EDGE_NODE, (double) spacing.edgeEdge());
        root.setProperty(LayeredOptions.RANDOM_SEED, 1);

        Map<String, ElkNode> nodes = new HashMap<>(graph.boxes().size() * 2);
        for (Graph.Box b : graph.boxes()) {
            ElkNode n = ElkGraphUtil.createNode(root);
            n.setIdentifier(b.id());
            n.setDimensions(b.width(), b.height());
            nodes.put(b.id(), n);
        }
        List<ElkEdge> edges = new ArrayList<>(graph.links().size());
        for (Graph.Link l : graph.links()) edges.add(ElkGraphUtil.createSimpleEdge(nodes.get(l.from()), nodes.get(l.to())));

        new RecursiveGraphLayoutEngine().layout(root, new NullElkProgressMonitor());

        List<Layout.Node> placed = new ArrayList<>(graph.boxes().size());
        for (Graph.Box b : graph.boxes()) {
            ElkNode n = nodes.get(b.id());
            placed.add(new Layout.Node(b.id(), round(n.getX()), round(n.getY()), b.width(), b.height()));
        }
        List<Layout.Edge> routes = new ArrayList<>(edges.size());
        for (int i = 0; i < edges.size(); i++) {
            Graph.Link l = graph.links().get(i);
            routes.add(new Layout.Edge(l.from(), l.to(), points(edges.get(i))));
        }
        return new Layout(Layout.ELK, round(root.getWidth()), round(root.getHeight()), placed, routes);
    }

    private static List<Layout.Point> points(ElkEdge edge) {
        List<Layout.Point> points = new ArrayList<>();
        for (ElkEdgeSection s : edge.getSections()) {
            add(points, s.getStartX(), s.getStartY());
            for (ElkBendPoint bp : s.getBendPoints()) add(points, bp.getX(), bp.getY());
            add(points, s.getEndX(), s.getEndY());
        }
        return points;
    }

    private static void add(List<Layout.Point> points, double x, double y) {
        Layout.Point p = new Layout.Point(round(x), round(y));
        if (points.isEmpty() || !points.get(points.size() - 1).equals(p)) points.add(p);
    }

    private static int round(double v) {
        return (int) Math.round(v);
    }
}
