package dev.sluice.engine.pipeline;

import dev.sluice.engine.pipeline.Drafts.Ref;
import dev.sluice.engine.pipeline.Drafts.StepDraft;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps as a graph of ids, to check references: duplicate ids, unknown or self needs, and
 * cycles (one problem per strongly connected set of steps, with the path of one cycle through it).
 * Iterative throughout, so a chain of 10,000 steps needs no deep stack.
 */
final class StepGraph {

    private final List<StepDraft> nodes = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    /** upstream[i]: indexes of the steps node i needs (known, not itself, no repeats). */
    private int[][] upstream;
    /** for each upstream entry, the need that made it (for locations) */
    private Ref[][] upstreamRefs;

    StepGraph(List<StepDraft> steps, Problems problems) {
        Map<String, StepDraft> first = new LinkedHashMap<>();
        for (StepDraft s : steps) {
            if (s.id() == null) continue;
            StepDraft earlier = first.putIfAbsent(s.id(), s);
            if (earlier != null) {
                problems.add(s.idLocation(), s.path() + ".id", "duplicate-id", "duplicate step id '" + s.id()
                        + "' (first at line " + earlier.idLocation().line() + ")");
            } else {
                index.put(s.id(), nodes.size());
                nodes.add(s);
            }
        }
        upstream = new int[nodes.size()][];
        upstreamRefs = new Ref[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            StepDraft s = nodes.get(i);
            int[] ups = new int[s.needs().size()];
            Ref[] refs = new Ref[s.needs().size()];
            int n = 0;
            for (Ref need : s.needs()) {
                Integer j = index.get(need.id());
                if (j == null) {
                    problems.add(need.location(), need.path(), "unknown-need", "unknown step '" + need.id() + "' in needs",
                            Hints.didYouMean(need.id(), index.keySet()));
                } else if (j == i) {
                    problems.add(need.location(), need.path(), "self-need", "step '" + s.id() + "' needs itself");
                } else if (!contains(ups, n, j)) {
                    ups[n] = j;
                    refs[n++] = need;
                }
            }
            upstream[i] = Arrays.copyOf(ups, n);
            upstreamRefs[i] = Arrays.copyOf(refs, n);
        }
        reportCycles(problems);
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int k = 0; k < n; k++) if (a[k] == v) return true;
        return false;
    }

    /** True when {@code id} is a step that {@code of} needs, directly or through others. */
    boolean isUpstream(String id, String of) {
        Integer target = index.get(id);
        Integer from = index.get(of);
        if (target == null || from == null) return false;
        BitSet seen = new BitSet(nodes.size());
        Deque<Integer> todo = new ArrayDeque<>();
        todo.push(from);
        while (!todo.isEmpty()) {
            int v = todo.pop();
            for (int u : upstream[v]) {
                if (u == target) return true;
                if (!seen.get(u)) {
                    seen.set(u);
                    todo.push(u);
                }
            }
        }
        return false;
    }

    /** Tarjan's strongly connected components, iteratively; reports one cycle per component. */
    private void reportCycles(Problems problems) {
        int n = nodes.size();
        int[] order = new int[n];
        int[] low = new int[n];
        Arrays.fill(order, -1);
        boolean[] onStack = new boolean[n];
        int[] stack = new int[n];
        int sp = 0;
        int counter = 0;
        int[] callNode = new int[n];
        int[] callEdge = new int[n];
        for (int root = 0; root < n; root++) {
            if (order[root] >= 0) continue;
            int depth = 0;
            callNode[0] = root;
            callEdge[0] = 0;
            order[root] = low[root] = counter++;
            stack[sp++] = root;
            onStack[root] = true;
            while (depth >= 0) {
                int v = callNode[depth];
                if (callEdge[depth] < upstream[v].length) {
                    int w = upstream[v][callEdge[depth]++];
                    if (order[w] < 0) {
                        order[w] = low[w] = counter++;
                        stack[sp++] = w;
                        onStack[w] = true;
                        depth++;
                        callNode[depth] = w;
                        callEdge[depth] = 0;
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], order[w]);
                    }
                } else {
                    if (low[v] == order[v]) {
                        List<Integer> component = new ArrayList<>();
                        int w;
                        do {
                            w = stack[--sp];
                            onStack[w] = false;
                            component.add(w);
                        } while (w != v);
                        if (component.size() > 1) reportCycle(component, problems);
                    }
                    depth--;
                    if (depth >= 0) {
                        int parent = callNode[depth];
                        low[parent] = Math.min(low[parent], low[v]);
                    }
                }
            }
        }
    }

    /**
     * The shortest cycle through the component's first step in the file, written in the order
     * steps would run ({@code a -> b} when b needs a), reported at the need of that first step
     * that closes it.
     */
    private void reportCycle(List<Integer> component, Problems problems) {
        BitSet in = new BitSet(nodes.size());
        int start = Integer.MAX_VALUE;
        for (int v : component) {
            in.set(v);
            start = Math.min(start, v);
        }
        // breadth-first over needs from start; next[u] = the step that needs u on the way
        int[] next = new int[nodes.size()];
        Ref[] via = new Ref[nodes.size()];
        Arrays.fill(next, -1);
        Deque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        int closing = -1;
        Ref closingRef = null;
        search:
        while (!queue.isEmpty()) {
            int v = queue.poll();
            for (int k = 0; k < upstream[v].length; k++) {
                int u = upstream[v][k];
                if (!in.get(u)) continue;
                if (u == start) {
                    closing = v;
                    closingRef = upstreamRefs[v][k];
                    break search;
                }
                if (next[u] < 0) {
                    next[u] = v;
                    via[u] = upstreamRefs[v][k];
                    queue.add(u);
                }
            }
        }
        if (closing < 0) return;
        // start needs x1, x1 needs x2, ..., closing needs start; next[] walks from closing back
        // to x1, which is already the order they run in: start -> closing -> ... -> x1 -> start
        List<String> path = new ArrayList<>();
        path.add(nodes.get(start).id());
        for (int v = closing; v != start; v = next[v]) path.add(nodes.get(v).id());
        path.add(nodes.get(start).id());
        Ref at = via[firstAfterStart(start, closing, next)];
        if (at == null) at = closingRef;
        problems.add(at.location(), at.path(), "cycle", "cycle: " + String.join(" -> ", path));
    }

    private static int firstAfterStart(int start, int closing, int[] next) {
        int v = closing;
        while (next[v] != start) v = next[v];
        return v;
    }
}
