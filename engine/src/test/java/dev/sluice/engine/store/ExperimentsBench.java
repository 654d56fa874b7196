package dev.sluice.engine.store;

import dev.sluice.engine.report.Experiments;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Not a test: the experiments table of one pipeline with N runs (default 10,000), each with a
 * {@code train} and an {@code evaluate} step writing metrics, sorted by a metric, first page of 50: what
 * {@code GET /api/pipelines/{name}/experiments?sort=-evaluate.auc&limit=50} does on the server (store
 * query + table build), timed warm, median of 20. Run by {@code scripts/bench experiments}, or from
 * {@code engine/} after {@code mvn test-compile}:
 * <pre>
 *   java -cp target/test-classes:target/classes:$(cat cp.txt) dev.sluice.engine.store.ExperimentsBench /tmp/xbench 10000
 * </pre>
 */
public final class ExperimentsBench {

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/sluice-experiments-bench");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        QuietLogs.apply();
        try (Store store = Stores.open(null, dir)) {
            if (store.runs(new RunQuery("exp", null, null, 1)).isEmpty()) seed(store, n);
            MonitorStore m = store.monitor();
            List<String> metrics = List.of("evaluate.auc", "evaluate.accuracy");
            long[] times = new long[25];
            int total = 0;
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                Experiments.Table t = Experiments.build(m.experiments("exp", Set.of("auc", "accuracy")), metrics, List.of("l2"),
                        List.of(), "-evaluate.auc", 50, 0);
                times[i] = System.nanoTime() - t0;
                total = t.total();
            }
            long[] measured = Arrays.copyOfRange(times, 5, times.length);
            Arrays.sort(measured);
            System.out.printf("experiments: %d rows, first page of 50 sorted by -evaluate.auc: median %.1f ms, max %.1f ms (20 warm runs)%n",
                    total, measured[measured.length / 2] / 1e6, measured[measured.length - 1] / 1e6);
        }
    }

    private static void seed(Store store, int n) {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<Change> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = String.format("r%06d", i);
            Instant at = t0.plusSeconds(i);
            RunRecord run = new RunRecord(id, "exp", 1, RunState.QUEUED, Map.of("l2", (i % 10) / 10.0), at, "manual", at,
                    null, null, null, null, null);
            batch.add(StoreFixtures.create(run, "train", "evaluate"));
            for (String task : List.of("train", "evaluate")) {
                batch.add(StoreFixtures.start(id, task, 1, at));
                Map<String, Double> metrics = task.equals("train") ? Map.of("loss", 1.0 / (i + 1))
                        : Map.of("auc", 0.5 + (i * 7919 % 1000) / 2000.0, "accuracy", 0.6 + (i % 100) / 400.0);
                batch.add(StoreFixtures.finish(id, task, 1, "SUCCEEDED", at, List.of(), metrics, List.of()));
                batch.add(new Change.SetTaskState(id, task, StepState.PENDING, StepState.SUCCEEDED, null, at, 1, null, null, null, null));
            }
            if (batch.size() > 400) {
                store.commit(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) store.commit(batch);
    }
}
