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
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the stored form of a new run: QUEUED, every task PENDING, in plan order. */
public final class NewRun {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private NewRun() {}

    /** The suffixes handed out in the last few seconds of ids, by second: none is handed out twice in this process. */
    private static final Map<String, Set<String>> RECENT = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > 4; // requests' clocks are read a little before their ids are made, not much more
        }
    };

    /**
     * A run id: sortable by creation time, unique by a random suffix, e.g.
     * {@code 20261123T181423Z-3f9a1c}. Any unique prefix can name it on the command line. Within
     * this process no id repeats: a server creating hundreds of runs a second would otherwise draw
     * the same suffix twice in a second now and then (a one-in-16-million draw per pair of runs),
     * and the second run's creation fail.
     */
    public static String newId(Instant now) {
        String second = ID_TIME.format(now);
        byte[] b = new byte[3];
        synchronized (RECENT) {
            Set<String> used = RECENT.computeIfAbsent(second, k -> new HashSet<>());
            String suffix;
            do {
                RANDOM.nextBytes(b);
                suffix = HexFormat.of().formatHex(b);
            } while (!used.add(suffix));
            return second + "-" + suffix;
        }
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
