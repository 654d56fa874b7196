package dev.sluice.engine.pipeline;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One step as the user wrote it, with the pipeline's {@code defaults} already applied.
 *
 * @param run        the command template, {@code ${{ }}} expressions not yet substituted
 * @param workdir    relative to the pipeline file's folder; {@code null} means that folder
 * @param timeout    {@code null} means no limit
 * @param condition  the {@code if:} expression without its {@code ${{ }}} braces; {@code null} when absent
 * @param matrix     name to the list of values (String, Long, Double or Boolean), in file order
 * @param register   (v1.1) the model this step registers instead of running a command ({@code run} is
 *                   then empty); null for a step that runs a command
 * @param models     (v1.1) key to model reference ({@code NAME@ALIAS} or {@code NAME:VERSION}), in file order
 */
public record Step(
        String id,
        String run,
        List<String> needs,
        String workdir,
        Map<String, String> env,
        List<String> outputs,
        int retries,
        Duration retryDelay,
        Duration timeout,
        List<String> labels,
        String condition,
        Map<String, List<Object>> matrix,
        boolean cache,
        List<String> cacheFiles,
        Register register,
        Map<String, String> models) {

    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(5);

    public Step {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(run, "run");
        needs = List.copyOf(needs == null ? List.of() : needs);
        env = Map.copyOf(env == null ? Map.of() : env);
        outputs = List.copyOf(outputs == null ? List.of() : outputs);
        retryDelay = retryDelay == null ? DEFAULT_RETRY_DELAY : retryDelay;
        labels = List.copyOf(labels == null ? List.of() : labels);
        matrix = copyMatrix(matrix);
        cacheFiles = List.copyOf(cacheFiles == null ? List.of() : cacheFiles);
        models = models == null || models.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(models));
        if (retries < 0) throw new IllegalArgumentException("retries < 0");
    }

    /** A step without the v1.1 fields. */
    public Step(String id, String run, List<String> needs, String workdir, Map<String, String> env, List<String> outputs,
            int retries, Duration retryDelay, Duration timeout, List<String> labels, String condition,
            Map<String, List<Object>> matrix, boolean cache, List<String> cacheFiles) {
        this(id, run, needs, workdir, env, outputs, retries, retryDelay, timeout, labels, condition, matrix, cache,
                cacheFiles, null, Map.of());
    }

    /** Whether the engine registers a model instead of running a command. */
    public boolean isRegister() {
        return register != null;
    }

    /** A plain step: only id, command and needs. */
    public static Step of(String id, String run, String... needs) {
        return new Step(id, run, List.of(needs), null, Map.of(), List.of(), 0, null, null, List.of(), null,
                Map.of(), false, List.of());
    }

    public boolean isMatrix() {
        return !matrix.isEmpty();
    }

    public Step withNeeds(List<String> newNeeds) {
        return new Step(id, run, newNeeds, workdir, env, outputs, retries, retryDelay, timeout, labels, condition,
                matrix, cache, cacheFiles, register, models);
    }

    private static Map<String, List<Object>> copyMatrix(Map<String, List<Object>> m) {
        if (m == null || m.isEmpty()) return Map.of();
        Map<String, List<Object>> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return java.util.Collections.unmodifiableMap(copy);
    }
}
