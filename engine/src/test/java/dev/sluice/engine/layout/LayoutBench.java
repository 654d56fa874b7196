package dev.sluice.engine.layout;

import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.dag.RandomPipelines;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.PipelineLoader;
import java.nio.file.Path;

/**
 * Not a test: prints how long each engine takes on random DAGs (each task needing up to 3
 * earlier ones), the best of three runs after a warm-up. After {@code mvn -pl engine -am test-compile}:
 * <pre>
 * mvn -q -pl engine dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp engine/target/classes:engine/target/test-classes:$(cat cp.txt) dev.sluice.engine.layout.LayoutBench [tasks...]
 * </pre>
 */
public final class LayoutBench {

    private LayoutBench() {}

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {100, 200, 500, 1000, 2000} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        Layouts elk = new Layouts(Spacing.DEFAULT, Integer.MAX_VALUE);
        Layouts layers = new Layouts(Spacing.DEFAULT, 0);
        // warm up both engines on a mid-size graph
        Plan warm = plan(300, 1);
        for (int i = 0; i < 3; i++) {
            elk.layout(warm);
            layers.layout(warm);

        }
        for (int n : sizes) {
            Plan plan = plan(n, 42);
            Graph g = Layouts.graph(plan);
            System.out.printf("%5d tasks, %5d edges: elk %6d ms, layers %4d ms%n", n, g.links().size(),
                    time(elk, g), time(layers, g));
        }
    }

    private static long time(Layouts layouts, Graph g) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            layouts.layout(g);
            best = Math.min(best, (System.nanoTime() - t0) / 1_000_000);
        }
        return best;
    }

    static Plan plan(int steps, long seed) {
        ParseResult parsed = PipelineLoader.parse("random.yaml", RandomPipelines.yaml(steps, 3, seed), Path.of("."));
        if (!parsed.ok()) throw new IllegalStateException(parsed.problems().toString());
        return Planner.plan(parsed.pipeline());
    }
}
