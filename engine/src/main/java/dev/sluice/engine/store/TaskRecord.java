package dev.sluice.engine.store;

import dev.sluice.engine.run.StepState;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A task of a run as stored (a step, or one matrix variant).
 *
 * @param position    the task's index in the plan's topological order (for stable listing)
 * @param attempts    how many attempts were started so far
 * @param retriesUsed how many of the step's {@code retries} were used (lost-worker and restart
 *                    attempts do not count)
 * @param notBefore   a QUEUED task waiting for its retry delay is not dispatched before this
 * @param reason      why it is in its state, e.g. {@code upstream failed}, {@code condition false},
 *                    {@code exit code 3}, {@code timeout}
 */
public record TaskRecord(
        String runId,
        String taskId,
        String stepId,
        int position,
        Map<String, Object> matrix,
        StepState status,
        String reason,
        int attempts,
        int retriesUsed,
        boolean cached,
        Instant notBefore,
        Instant startedAt,
        Instant endedAt,
        Integer exitCode) {

    public TaskRecord {
        matrix = Collections.unmodifiableMap(new LinkedHashMap<>(matrix == null ? Map.of() : matrix));
    }
}
