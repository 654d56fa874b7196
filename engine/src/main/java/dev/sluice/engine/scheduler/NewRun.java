package dev.sluice.engine.scheduler;

import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Task;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.TaskRecord;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Builds the stored form of a new run: QUEUED, every task PENDING, in plan order. */
public final class NewRun {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private NewRun() {}

    /**
     * A run id: sortable by creation time, unique by a random suffix, e.g.
     * {@code 20261123T181423Z-3f9a1c}. Any unique prefix can name it on the command line.
     */
    public static String newId(Instant now) {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return ID_TIME.format(now) + "-" + HexFormat.of().formatHex(b);
    }

    public static Change.CreateRun create(String runId, PipelineVersion version, Plan plan, Map<String, Object> params,
            String trigger, Instant logicalDate, Instant now, String owner) {
        RunRecord run = new RunRecord(runId, version.name(), version.version(), RunState.QUEUED, params, logicalDate,
                trigger, now, null, null, owner, owner == null ? null : now, null);
        run = run.withTrigger(run.triggerJson(), null); // the run JSON's trigger, stored: {type: manual|schedule|...}
        List<TaskRecord> tasks = new ArrayList<>(plan.tasks().size());
        int position = 0;
        for (Task t : plan.tasks()) {
            tasks.add(new TaskRecord(runId, t.id(), t.stepId(), position++, t.matrix(), StepState.PENDING, null, 0, 0,
                    false, null, null, null, null));
        }
        return new Change.CreateRun(run, tasks);
    }
}
