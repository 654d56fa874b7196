package dev.sluice.engine.layout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.PipelineLoader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class LayoutsTest {

    private static final int ALWAYS_ELK = Integer.MAX_VALUE;
    private static final int NEVER_ELK = 0;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("elk", "train.yaml", ALWAYS_ELK, train()),
                Arguments.of("elk", "150 random tasks", ALWAYS_ELK, LayoutBench.plan(150, 7)),
                Arguments.of("layers", "train.yaml", NEVER_ELK, train()),
                Arguments.of("layers", "400 random tasks", NEVER_ELK, LayoutBench.plan(400, 7)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void placesEveryTaskOnceWithoutOverlaps(String engine, String name, int elkLimit, Plan plan) {
        Layout layout = new Layouts(Spacing.DEFAULT, elkLimit).layout(plan);

        assertThat(layout.engine()).isEqualTo(engine);
        assertThat(layout.nodes()).extracting(Layout.Node::id).containsExactlyElementsOf(plan.tasks().stream().map(t -> t.id()).toList());
        List<Layout.Node> nodes = layout.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Layout.Node a = nodes.get(i);
            assertThat(a.x()).isGreaterThanOrEqualTo(0);
            assertThat(a.y()).isGreaterThanOrEqualTo(0);
            assertThat(a.x() + a.width()).isLessThanOrEqualTo(layout.width());
            assertThat(a.y() + a.height()).isLessThanOrEqualTo(layout.height());
            for (int k = i + 1; k < nodes.size(); k++) {
                Layout.Node b = nodes.get(k);
                boolean apart = a.x() + a.width() <= b.x() || b.x() + b.width() <= a.x()
                        || a.y() + a.height() <= b.y() || b.y() + b.height() <= a.y();
                assertThat(apart).as("%s overlaps %s", a, b).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void routesEveryNeedLeftToRightWithRightAnglesAroundTheBoxes(String engine, String name, int elkLimit, Plan plan) {
        Layout layout = new Layouts(Spacing.DEFAULT, elkLimit).layout(plan);

        Map<String, Layout.Node> byId = new HashMap<>();
        layout.nodes().forEach(n -> byId.put(n.id(), n));
        long needs = plan.tasks().stream().mapToLong(t -> t.needs().size()).sum();
        assertThat(layout.edges()).hasSize((int) needs);
        for (Layout.Edge e : layout.edges()) {
            Layout.Node from = byId.get(e.from());
            Layout.Node to = byId.get(e.to());
            assertThat(from.x() + from.width()).as("%s -> %s", e.from(), e.to()).isLessThan(to.x());
            List<Layout.Point> p = e.points();
            assertThat(p.size()).isGreaterThanOrEqualTo(2);
            assertThat(p.get(0).x()).isEqualTo(from.x() + from.width());
            assertThat(p.get(p.size() - 1).x()).isEqualTo(to.x());
            for (int i = 1; i < p.size(); i++) {
                Layout.Point a = p.get(i - 1);
                Layout.Point b = p.get(i);
                assertThat(a.x() == b.x() || a.y() == b.y()).as("segment %s %s of %s", a, b, e).isTrue();
                assertThat(b.x()).as("x never goes back along %s", e).isGreaterThanOrEqualTo(a.x());
                for (Layout.Node n : layout.nodes()) {
                    assertThat(crosses(a, b, n)).as("%s -> %s crosses %s", e.from(), e.to(), n.id()).isFalse();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void givesTheSameCoordinatesEveryTime(String engine, String name, int elkLimit, Plan plan) {
        Layout first = new Layouts(Spacing.DEFAULT, elkLimit).layout(plan);
        Layout again = new Layouts(Spacing.DEFAULT, elkLimit).layout(plan);

        assertThat(again).isEqualTo(first);
    }

    @Test
    void usesElkUpToTheLimitAndTheLayersAbove() {
        Plan plan = LayoutBench.plan(300, 3);
        int size = plan.tasks().size() + Layouts.graph(plan).links().size();

        assertThat(new Layouts(Spacing.DEFAULT, size).layout(plan).engine()).isEqualTo(Layout.ELK);
        assertThat(new Layouts(Spacing.DEFAULT, size - 1).layout(plan).engine()).isEqualTo(Layout.LAYERS);
        assertThat(new Layouts().layout(LayoutBench.plan(2000, 3)).engine()).isEqualTo(Layout.LAYERS);
    }

    @Test
    void sizesBoxesByTheirIdWithinBounds() {
        assertThat(Layouts.width("a")).isEqualTo(Layouts.MIN_NODE_WIDTH);
        assertThat(Layouts.width("train[lr=0.1,depth=3,seed=1234]")).isBetween(Layouts.MIN_NODE_WIDTH + 1, Layouts.MAX_NODE_WIDTH);
        assertThat(Layouts.width("x".repeat(200))).isEqualTo(Layouts.MAX_NODE_WIDTH);
    }

    @Test
    void laysOutAnEmptyGraph() {
        Graph empty = new Graph(List.of(), List.of());

        assertThat(new Layouts(Spacing.DEFAULT, ALWAYS_ELK).layout(empty).nodes()).isEmpty();
        assertThat(new Layouts(Spacing.DEFAULT, NEVER_ELK).layout(empty).nodes()).isEmpty();
    }

    /** Whether the segment a-b (horizontal or vertical) passes through the inside of box n. */
    private static boolean crosses(Layout.Point a, Layout.Point b, Layout.Node n) {
        int minX = Math.min(a.x(), b.x());
        int maxX = Math.max(a.x(), b.x());
        int minY = Math.min(a.y(), b.y());
        int maxY = Math.max(a.y(), b.y());
        return maxX > n.x() && minX < n.x() + n.width() && maxY > n.y() && minY < n.y() + n.height();
    }

    private static Plan train() {
        try {
            Path file = Path.of(LayoutsTest.class.getResource("train.yaml").toURI());
            ParseResult parsed = PipelineLoader.parse("train.yaml", Files.readString(file), file.getParent());
            assertThat(parsed.problems()).isEmpty();
            return Planner.plan(parsed.pipeline());
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
