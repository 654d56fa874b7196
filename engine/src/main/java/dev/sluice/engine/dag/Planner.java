package dev.sluice.engine.dag;

import dev.sluice.engine.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleDirectedGraph;

/**
 * Turns a valid pipeline into a {@link Plan}: tasks in a stable topological order (file order
 * whenever the dependencies leave a choice), the transitive reduction of their edges, and the
 * critical path. Planning works on int arrays: Kahn's algorithm with a priority queue, then
 * reachability bitsets over the topological order for the reduction (O(n·e/64), not JGraphT's
 * cubic one). Building a JGraphT graph of 10,000 tasks alone cost 200 ms cold, a fifth of the
 * budget for parse + plan, so JGraphT is offered as a view of the result ({@link #graph}).
 */
public final class Planner {

    private Planner() {
    }

    /**
     * @throws IllegalArgumentException when the pipeline's needs are unknown or form a cycle (the
     *                                  message gives the cycle's path); a pipeline from
     *                                  {@code PipelineLoader} never has either
     */
    public static Plan plan(Pipeline pipeline) {
        List<Task> tasks = Variants.expand(pipeline);
        int n = tasks.size();
        Map<String, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            if (index.put(tasks.get(i).id(), i) != null) {
                throw new IllegalArgumentException("duplicate task id '" + tasks.get(i).id() + "'");
            }
        }
        int[][] parents = new int[n][];
        for (int i = 0; i < n; i++) {
            List<String> needs = tasks.get(i).needs();
            parents[i] = new int[needs.size()];
            for (int k = 0; k < needs.size(); k++) {
                Integer p = index.get(needs.get(k));
                if (p == null) throw new IllegalArgumentException("task '" + tasks.get(i).id() + "' needs unknown '" + needs.get(k) + "'");
                if (p == i) throw new IllegalArgumentException("cycle: " + tasks.get(i).id() + " -> " + tasks.get(i).id());
                parents[i][k] = p;
            }
        }
        int[][] children = children(parents, n);
        int[] order = topologicalOrder(parents, children, tasks);
        int[] position = new int[n];
        for (int k = 0; k < n; k++) position[order[k]] = k;

        List<Task> sorted = new ArrayList<>(n);
        for (int v : order) sorted.add(tasks.get(v));
        return new Plan(pipeline, sorted, reducedEdges(order, position, children, tasks),
                criticalPath(order, position, parents, tasks));
    }

    /**
     * The plan's tasks as a JGraphT graph of its reduced edges (vertices are task ids, in plan
     * order), for layout and graph algorithms.
     */
    public static Graph<String, DefaultEdge> graph(Plan plan) {
        Graph<String, DefaultEdge> g = new SimpleDirectedGraph<>(DefaultEdge.class);
        for (Task t : plan.tasks()) g.addVertex(t.id());
        for (Plan.Edge e : plan.reducedEdges()) g.addEdge(e.from(), e.to());
        return g;
    }

    /** Kahn's algorithm taking the free task earliest in the file first. */
    private static int[] topologicalOrder(int[][] parents, int[][] children, List<Task> tasks) {
        int n = parents.length;
        int[] waiting = new int[n];
        PriorityQueue<Integer> free = new PriorityQueue<>();
        for (int v = 0; v < n; v++) {
            waiting[v] = parents[v].length;
            if (waiting[v] == 0) free.add(v);
        }
        int[] order = new int[n];
        int k = 0;
        while (!free.isEmpty()) {
            int v = free.poll();
            order[k++] = v;
            for (int c : children[v]) if (--waiting[c] == 0) free.add(c);
        }
        if (k != n) throw new IllegalArgumentException(cycle(parents, waiting, tasks));
        return order;
    }

    /**
     * Edge p -> c is kept unless c is reachable from another child of p. Children of p that reach
     * c come before c in the topological order, so taking p's children in that order, a child
     * already reached through an earlier one is redundant. reach[v] holds the topological
     * positions reachable from v; nodes are done in reverse order so a child's set is ready.
     */
    private static List<Plan.Edge> reducedEdges(int[] order, int[] position, int[][] children, List<Task> tasks) {
        int n = order.length;
        BitSet[] reach = new BitSet[n];
        int[][] keptParents = new int[n][];
        int[] keptCount = new int[n];
        for (int v = 0; v < n; v++) keptParents[v] = new int[2];
        for (int k = n - 1; k >= 0; k--) {
            int v = order[k];
            int[] byPosition = new int[children[v].length];
            for (int i = 0; i < byPosition.length; i++) byPosition[i] = position[children[v][i]];
            Arrays.sort(byPosition);
            BitSet r = new BitSet();
            for (int pos : byPosition) {
                int c = order[pos];
                if (!r.get(pos)) {
                    if (keptCount[c] == keptParents[c].length) keptParents[c] = Arrays.copyOf(keptParents[c], keptCount[c] * 2);
                    keptParents[c][keptCount[c]++] = k;
                }
                r.set(pos);
                r.or(reach[c]);
            }
            reach[v] = r;
        }
        // edges by child in plan order, each child's parents in plan order
        List<Plan.Edge> edges = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int c = order[k];
            int[] ps = Arrays.copyOf(keptParents[c], keptCount[c]);
            Arrays.sort(ps);
            for (int pk : ps) edges.add(new Plan.Edge(tasks.get(order[pk]).id(), tasks.get(c).id()));
        }
        return edges;
    }

    private static int[][] children(int[][] parents, int n) {
        int[] count = new int[n];
        for (int[] ps : parents) for (int p : ps) count[p]++;
        int[][] children = new int[n][];
        for (int v = 0; v < n; v++) children[v] = new int[count[v]];
        int[] fill = new int[n];
        for (int c = 0; c < n; c++) for (int p : parents[c]) children[p][fill[p]++] = c;
        return children;
    }

    /** The longest chain of tasks (by count); ties go to the task earliest in the order. */
    private static List<String> criticalPath(int[] order, int[] position, int[][] parents, List<Task> tasks) {
        int n = order.length;
        if (n == 0) return List.of();
        int[] length = new int[n];
        int[] previous = new int[n];
        int end = order[0];
        for (int v : order) {
            length[v] = 1;
            previous[v] = -1;
            for (int p : parents[v]) {
                if (length[p] + 1 > length[v] || (length[p] + 1 == length[v] && position[p] < position[previous[v]])) {
                    length[v] = length[p] + 1;
                    previous[v] = p;
                }
            }
            if (length[v] > length[end]) end = v;
        }
        List<String> path = new ArrayList<>();
        for (int v = end; v >= 0; v = previous[v]) path.add(0, tasks.get(v).id());
        return path;
    }

    /** A cycle's path among the tasks a topological order could not place ({@code waiting > 0}). */
    private static String cycle(int[][] parents, int[] waiting, List<Task> tasks) {
        int n = parents.length;
        int start = 0;
        while (start < n && waiting[start] == 0) start++;
        // every task left has a parent left: walk parents until one repeats
        int[] seenAt = new int[n];
        Arrays.fill(seenAt, -1);
        List<Integer> walk = new ArrayList<>();
        int v = start;
        while (seenAt[v] < 0) {
            seenAt[v] = walk.size();
            walk.add(v);
            int next = -1;
            for (int p : parents[v]) {
                if (waiting[p] > 0) {
                    next = p;
                    break;
                }
            }
            v = next;
        }
        List<Integer> loop = walk.subList(seenAt[v], walk.size());
        StringBuilder sb = new StringBuilder("cycle: ");
        for (int i = loop.size() - 1; i >= 0; i--) sb.append(tasks.get(loop.get(i)).id()).append(" -> ");
        return sb.append(tasks.get(loop.get(loop.size() - 1)).id()).toString();
    }
}
