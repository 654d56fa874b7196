package dev.sluice.worker.protocol;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Run one attempt of one task.
 *
 * @param key       (run, task, attempt): the attempt's identity and fencing key
 * @param command   the final command, expressions already substituted; run as {@code /bin/sh -c}
 * @param workdir   absolute folder to run in
 * @param env       variables to add to the worker's environment: the pipeline's and step's env and
 *                  the engine's {@code SLUICE_*} identity variables. The worker adds
 *                  {@code SLUICE_OUTPUTS}, {@code SLUICE_INPUTS} and {@code SLUICE_METRICS} itself.
 * @param outputs   declared output paths, relative to {@code $SLUICE_OUTPUTS}; a missing one fails
 * @param inputs    upstream artifacts to materialize under {@code $SLUICE_INPUTS/<from>/<path>}
 * @param timeout   wall-clock limit of the attempt; {@code null} for none
 * @param maxLogBytes cap on the attempt's stored log; past it one truncation notice is logged
 * @param models    (v1.1) model files to materialize under {@code $SLUICE_MODELS/<from>/<path>}, {@code from}
 *                  being the step's model key; fetched by hash like inputs
 */
public record TaskRequest(
        AttemptKey key,
        String command,
        String workdir,
        Map<String, String> env,
        List<String> outputs,
        List<Artifact> inputs,
        Duration timeout,
        long maxLogBytes,
        List<Artifact> models) {

    public static final long DEFAULT_MAX_LOG_BYTES = 10L * 1024 * 1024;

    /** A request without models. */
    public TaskRequest(AttemptKey key, String command, String workdir, Map<String, String> env, List<String> outputs,
            List<Artifact> inputs, Duration timeout, long maxLogBytes) {
        this(key, command, workdir, env, outputs, inputs, timeout, maxLogBytes, List.of());
    }

    /** The inputs and the model files: every artifact the worker must have before it starts. */
    public List<Artifact> needed() {
        if (models.isEmpty()) return inputs;
        List<Artifact> all = new java.util.ArrayList<>(inputs);
        all.addAll(models);
        return all;
    }

    public TaskRequest {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(workdir, "workdir");
        env = Map.copyOf(env == null ? Map.of() : env);
        outputs = List.copyOf(outputs == null ? List.of() : outputs);
        inputs = List.copyOf(inputs == null ? List.of() : inputs);
        models = List.copyOf(models == null ? List.of() : models);
        if (maxLogBytes <= 0) maxLogBytes = DEFAULT_MAX_LOG_BYTES;
    }
}
