package dev.sluice.engine.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.engine.store.AttemptRecord;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.TaskRecord;
import dev.sluice.worker.protocol.Artifact;
import dev.sluice.worker.protocol.Secrets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run with every step, its attempts, metrics and outputs: the shape of {@code sluice run --json},
 * {@code sluice show --json} and, later, {@code GET /api/runs/{id}}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RunReport(
        String id,
        String pipeline,
        int version,
        String status,
        String reason,
        Map<String, Object> params,
        Instant logicalDate,
        Map<String, Object> trigger,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        List<StepReport> steps,
        List<ModelUse> models,
        Map<String, Object> code,
        @com.fasterxml.jackson.annotation.JsonProperty("rerun_of") String rerunOf,
        List<AlertSummary> alerts) {

    /** An alert that fired on this run (its message verbatim: pages escape it). */
    public record AlertSummary(String id, String severity, String message) {}

    /** A model version a task of the run pinned at its start ({@code version} null: the reference resolved to nothing). */
    public record ModelUse(
            @com.fasterxml.jackson.annotation.JsonProperty("task_id") String taskId,
            String key,
            String ref,
            String model,
            Integer version,
            String sha256) {}

    /** Reads a run JSON of an older server (without the v1.1 fields), too. */
    public RunReport {
        models = models == null ? List.of() : List.copyOf(models);
        code = code == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(code));
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
    }

    public record StepReport(
            String id,
            String step,
            Map<String, Object> matrix,
            String status,
            String reason,
            List<AttemptReport> attempts,
            Integer exitCode,
            Instant startedAt,
            Instant endedAt,
            boolean cached,
            Map<String, Double> metrics,
            List<OutputReport> outputs) {}

    public record AttemptReport(
            int attempt,
            String status,
            String worker,
            Instant startedAt,
            Instant endedAt,
            Integer exitCode,
            String reason,
            String error,
            boolean cached) {}

    public record OutputReport(String path, String sha256, long size) {}

    public static Optional<RunReport> load(Store store, String runId) {
        return store.run(runId).map(run -> of(store, run));
    }

    /**
     * Params whose names look secret by the spec's rule ({@link Secrets}; they reach steps as
     * {@code SLUICE_PARAM_<NAME>}) are shown as {@code ***}.
     */
    public static Map<String, Object> masked(Map<String, Object> params) {
        Map<String, Object> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, Secrets.masked(k, String.valueOf(v)) ? "***" : v));
        return out;
    }

    private static RunReport of(Store store, RunRecord run) {
        Map<String, List<AttemptReport>> attempts = new LinkedHashMap<>();
        for (AttemptRecord a : store.attempts(run.id())) {
            attempts.computeIfAbsent(a.taskId(), k -> new ArrayList<>()).add(new AttemptReport(a.attempt(), a.status(),
                    a.worker(), a.startedAt(), a.endedAt(), a.exitCode(), a.reason(), a.error(), a.cached()));
        }
        Map<String, List<Artifact>> outputs = store.outputs(run.id());
        Map<String, Map<String, Double>> metrics = store.metrics(run.id());
        List<StepReport> steps = new ArrayList<>();
        for (TaskRecord t : store.tasks(run.id())) {
            List<OutputReport> outs = outputs.getOrDefault(t.taskId(), List.of()).stream()
                    .map(a -> new OutputReport(a.path(), a.sha256(), a.size())).toList();
            List<AttemptReport> tries = attempts.getOrDefault(t.taskId(), List.of());
            // the step's exit code is its last attempt's: a timeout after an exit 3 has none
            Integer exitCode = tries.isEmpty() ? null : tries.get(tries.size() - 1).exitCode();
            steps.add(new StepReport(t.taskId(), t.stepId(), t.matrix(), t.status().name(), t.reason(), tries, exitCode,
                    t.startedAt(), t.endedAt(), t.cached(), metrics.getOrDefault(t.taskId(), Map.of()), outs));
        }
        List<AlertSummary> alerts = store.monitor().alertsOfRun(run.id()).stream()
                .map(a -> new AlertSummary(a.id(), a.severity(), a.message())).toList();
        var provenance = store.provenance(run.id());
        List<ModelUse> models = new ArrayList<>();
        provenance.ifPresent(p -> p.models().forEach(m -> models.add(new ModelUse(m.taskId(), m.key(), m.ref(), m.model(),
                m.version(), m.sha256()))));
        return new RunReport(run.id(), run.pipeline(), run.version(), run.status().name(), run.reason(), masked(run.params()),
                run.logicalDate(), run.triggerJson(), run.createdAt(), run.startedAt(), run.endedAt(), steps, models,
                provenance.map(p -> p.code()).orElse(Map.of()), provenance.map(p -> p.rerunOf()).orElse(null), alerts);
    }
}
