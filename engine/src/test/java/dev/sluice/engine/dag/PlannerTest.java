package dev.sluice.engine.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.Pipeline;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.pipeline.Step;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static Pipeline pipeline(Step... steps) {
        return new Pipeline("p", null, null, null, 1, null, List.of(steps), null);
    }

    private static List<String> ids(Plan plan) {
        return plan.tasks().stream().map(Task::id).toList();
    }

    @Test
    void ordersTasksTopologicallyKeepingFileOrderWhenFree() {
        Plan plan = Planner.plan(pipeline(
                Step.of("report", "echo", "train"),
                Step.of("fetch", "echo"),
                Step.of("train", "echo", "fetch", "clean"),
                Step.of("clean", "echo", "fetch"),
                Step.of("lint", "echo")));

        assertThat(ids(plan)).containsExactly("fetch", "clean", "train", "report", "lint");
    }

    @Test
    void dropsEdgesImpliedByLongerPaths() {
        Plan plan = Planner.plan(pipeline(
                Step.of("a", "echo"),
                Step.of("b", "echo", "a"),
                Step.of("c", "echo", "a", "b"),
                Step.of("d", "echo", "a", "b", "c")));

        assertThat(plan.reducedEdges()).containsExactly(
                new Plan.Edge("a", "b"), new Plan.Edge("b", "c"), new Plan.Edge("c", "d"));
        assertThat(plan.byId().get("d").needs()).containsExactly("a", "b", "c");
    }

    @Test
    void keepsEdgesOfADiamond() {
        Plan plan = Planner.plan(pipeline(
                Step.of("a", "echo"),
                Step.of("b", "echo", "a"),
                Step.of("c", "echo", "a"),
                Step.of("d", "echo", "b", "c", "a")));

        assertThat(plan.reducedEdges()).containsExactlyInAnyOrder(new Plan.Edge("a", "b"), new Plan.Edge("a", "c"),
                new Plan.Edge("b", "d"), new Plan.Edge("c", "d"));
    }

    @Test
    void findsTheLongestChainAsCriticalPath() {
        Plan plan = Planner.plan(pipeline(
                Step.of("a", "echo"),
                Step.of("x", "echo"),
                Step.of("b", "echo", "a"),
                Step.of("c", "echo", "b", "x"),
                Step.of("short", "echo", "a"),
                Step.of("d", "echo", "c", "short")));

        assertThat(plan.criticalPath()).containsExactly("a", "b", "c", "d");
    }

    @Test
    void plansTheSpecExampleWithItsMatrix() {
        ParseResult r = PipelineLoader.parse("p.yaml", """
                name: churn
                steps:
                  - id: extract
                    run: echo
                  - id: train
                    needs: [extract]
                    matrix: { c: [0.1, 1.0, 10.0] }
                    run: echo
                  - id: evaluate
                    needs: [train]
                    run: echo
                """, null);

        Plan plan = Planner.plan(r.pipeline());

        assertThat(ids(plan)).containsExactly("extract", "train[c=0.1]", "train[c=1.0]", "train[c=10.0]", "evaluate");
        assertThat(plan.reducedEdges()).hasSize(6);
        assertThat(plan.criticalPath()).containsExactly("extract", "train[c=0.1]", "evaluate");
    }

    @Test
    void offersThePlanAsAJGraphTGraphOfReducedEdges() {
        Plan plan = Planner.plan(pipeline(Step.of("a", "echo"), Step.of("b", "echo", "a"), Step.of("c", "echo", "a", "b")));

        var graph = Planner.graph(plan);

        assertThat(graph.vertexSet()).containsExactly("a", "b", "c");
        assertThat(graph.edgeSet()).hasSize(2);
        assertThat(graph.containsEdge("a", "c")).isFalse();
        assertThat(graph.containsEdge("b", "c")).isTrue();
    }

    @Test
    void refusesACycleWithItsPath() {
        Pipeline p = pipeline(Step.of("a", "echo", "c"), Step.of("b", "echo", "a"), Step.of("c", "echo", "b"),
                Step.of("free", "echo"));

        assertThatThrownBy(() -> Planner.plan(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("cycle: (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)");
    }

    @Test
    void plansTenThousandRandomStepsCorrectly() {
        String yaml = RandomPipelines.yaml(10_000, 3, 42);
        ParseResult r = PipelineLoader.parse("random.yaml", yaml, null);
        assertThat(r.problems()).isEmpty();

        Plan plan = Planner.plan(r.pipeline());

        assertThat(plan.tasks()).hasSize(10_000);
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < plan.tasks().size(); i++) position.put(plan.tasks().get(i).id(), i);
        Map<String, Set<String>> needs = new HashMap<>();
        for (Task t : plan.tasks()) {
            needs.put(t.id(), Set.copyOf(t.needs()));
            for (String need : t.needs()) assertThat(position.get(need)).isLessThan(position.get(t.id()));
        }
        // steps are generated in a topological order already, so file order is kept exactly
        assertThat(plan.tasks().get(0).id()).isEqualTo("s0");
        assertThat(plan.tasks().get(9_999).id()).isEqualTo("s9999");
        assertReductionIsExact(plan, needs);
        assertCriticalPathIsAChainOfMaximalLength(plan);
    }

    /** Same reachability as the full graph, and no kept edge implied by another path. */
    private static void assertReductionIsExact(Plan plan, Map<String, Set<String>> needs) {
        Map<String, List<String>> reducedParents = new HashMap<>();
        Set<String> kept = new HashSet<>();
        for (Plan.Edge e : plan.reducedEdges()) {
            assertThat(needs.get(e.to())).contains(e.from());
            reducedParents.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e.from());
            kept.add(e.from() + ">" + e.to());
        }
        Map<String, BitSet> ancestors = new HashMap<>();
        Map<String, Integer> index = new HashMap<>();
        for (Task t : plan.tasks()) index.put(t.id(), index.size());
        for (Task t : plan.tasks()) {
            BitSet a = new BitSet();
            for (String p : reducedParents.getOrDefault(t.id(), List.of())) {
                a.set(index.get(p));
                a.or(ancestors.get(p));
            }
            ancestors.put(t.id(), a);
            for (String need : t.needs()) {
                assertThat(a.get(index.get(need))).as("%s still reaches %s", t.id(), need).isTrue();
            }
            for (String p : reducedParents.getOrDefault(t.id(), List.of())) {
                for (String q : reducedParents.getOrDefault(t.id(), List.of())) {
                    if (!p.equals(q)) {
                        assertThat(ancestors.get(q).get(index.get(p))).as("edge %s>%s is implied via %s", p, t.id(), q)
                                .isFalse();
                    }
                }
            }
        }
        assertThat(kept).hasSize(plan.reducedEdges().size());
    }

    private static void assertCriticalPathIsAChainOfMaximalLength(Plan plan) {
        Map<String, Task> byId = plan.byId();
        List<String> path = plan.criticalPath();
        for (int i = 1; i < path.size(); i++) assertThat(byId.get(path.get(i)).needs()).contains(path.get(i - 1));
        Map<String, Integer> longest = new HashMap<>();
        int best = 0;
        for (Task t : plan.tasks()) {
            int l = 1;
            for (String n : t.needs()) l = Math.max(l, longest.get(n) + 1);
            longest.put(t.id(), l);
            best = Math.max(best, l);
        }
        assertThat(path).hasSize(best);
    }
}
