package dev.sluice.engine.pipeline;

import java.util.function.IntFunction;

/**
 * Test pipelines made of parallel chains of steps ({@code c0-s0 -> c0-s1 -> ...}), the shape the
 * designer's and run page's scale tests and benchmarks draw.
 */
public final class Chains {

    private Chains() {}

    /**
     * Appends {@code chains} chains of {@code length} steps to {@code yaml} (which ends with
     * {@code steps:}), step {@code i} of each running {@code run.apply(i)} (a YAML scalar).
     */
    public static StringBuilder append(StringBuilder yaml, int chains, int length, IntFunction<String> run) {
        for (int c = 0; c < chains; c++) {
            for (int i = 0; i < length; i++) {
                yaml.append("  - id: c").append(c).append("-s").append(i).append('\n');
                if (i > 0) yaml.append("    needs: [c").append(c).append("-s").append(i - 1).append("]\n");
                yaml.append("    run: ").append(run.apply(i)).append('\n');
            }
        }
        return yaml;
    }
}
