import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.store.AttemptRecord;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import dev.sluice.engine.store.TaskRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Seeds a data dir for {@code scripts/bench experiments}: pipeline {@code exp} (the text of the given
 * file) and N SUCCEEDED runs of it, each with a {@code train} step (loss) and an {@code evaluate} step
 * (auc, accuracy), params {@code l2}. Run as {@code java -cp sluice.jar ExperimentsSeed.java DATA_DIR FILE N}.
 */
public class ExperimentsSeed {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String text = Files.readString(Path.of(args[1]));
        int n = Integer.parseInt(args[2]);
        Files.createDirectories(dir);
        try (Store store = Stores.open(null, dir)) {
            int version = store.savePipeline("exp", text).version();
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            List<Change> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = String.format("20260101T000000Z-%06d", i);
                Instant at = t0.plusSeconds(i);
                RunRecord run = new RunRecord(id, "exp", version, RunState.QUEUED, Map.of("l2", (i % 10) / 10.0), at, "manual", at,
                        null, null, null, null, null);
                List<TaskRecord> tasks = List.of(task(id, "train", 0), task(id, "evaluate", 1));
                batch.add(new Change.CreateRun(run, tasks));
                for (TaskRecord t : tasks) {
                    batch.add(new Change.StartAttempt(new AttemptRecord(id, t.taskId(), 1, "RUNNING", "seed", at, null, null, null, null, false, true)));
                    Map<String, Double> metrics = t.taskId().equals("train") ? Map.of("loss", 1.0 / (i + 1))
                            : Map.of("auc", 0.5 + (i * 7919 % 1000) / 2000.0, "accuracy", 0.6 + (i % 100) / 400.0);
                    batch.add(new Change.FinishAttempt(id, t.taskId(), 1, "SUCCEEDED", null, at, 0, null, null, true, List.of(), metrics, List.of()));
                    batch.add(new Change.SetTaskState(id, t.taskId(), StepState.PENDING, StepState.SUCCEEDED, null, at, 1, null, null, null, null));
                }
                batch.add(new Change.SetRunState(id, RunState.QUEUED, RunState.RUNNING, at, null));
                batch.add(new Change.SetRunState(id, RunState.RUNNING, RunState.SUCCEEDED, at, null));
                batch.add(new Change.EndHandled(id));
                if (batch.size() > 500) {
                    store.commit(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) store.commit(batch);
        }
    }

    private static TaskRecord task(String runId, String taskId, int position) {
        return new TaskRecord(runId, taskId, taskId, position, Map.of(), StepState.PENDING, null, 0, 0, false, null, null, null, null);
    }
}
