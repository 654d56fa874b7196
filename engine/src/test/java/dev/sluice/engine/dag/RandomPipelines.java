package dev.sluice.engine.dag;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test helper: the YAML of a random DAG pipeline, each step needing up to 3 earlier ones. */
public final class RandomPipelines {

    private RandomPipelines() {
    }

    /** Steps {@code s0..s(n-1)}; step i needs up to {@code maxParents} distinct steps before it. */
    public static String yaml(int steps, int maxParents, long seed) {
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder(steps * 48).append("name: random\nsteps:\n");
        for (int i = 0; i < steps; i++) {
            sb.append("  - id: s").append(i).append('\n');
            List<Integer> parents = parents(random, i, maxParents);
            if (!parents.isEmpty()) {
                sb.append("    needs: [");
                for (int k = 0; k < parents.size(); k++) sb.append(k == 0 ? "s" : ", s").append(parents.get(k));
                sb.append("]\n");
            }
            sb.append("    run: true\n");
        }
        return sb.toString();
    }

    private static List<Integer> parents(Random random, int i, int maxParents) {
        List<Integer> parents = new ArrayList<>();
        if (i == 0) return parents;
        int count = random.nextInt(Math.min(i, maxParents) + 1);
        while (parents.size() < count) {
            int p = random.nextInt(i);
            if (!parents.contains(p)) parents.add(p);
        }
        return parents;
    }
}
