package dev.sluice.engine.scheduler;

import dev.sluice.engine.dag.Task;
import dev.sluice.engine.expr.Expressions;
import dev.sluice.engine.expr.Scope;
import dev.sluice.engine.expr.Values;
import dev.sluice.engine.pipeline.Register;
import dev.sluice.engine.registry.Actor;
import dev.sluice.engine.registry.AliasConflict;
import dev.sluice.engine.registry.Expected;
import dev.sluice.engine.registry.ModelContent;
import dev.sluice.engine.registry.ModelFile;
import dev.sluice.engine.registry.ModelVersion;
import dev.sluice.engine.registry.NewVersion;
import dev.sluice.engine.registry.Registry;
import dev.sluice.engine.store.AttemptRecord;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.RunProvenance;
import dev.sluice.engine.store.Store;
import dev.sluice.worker.artifact.ContentStore;
import dev.sluice.worker.protocol.Artifact;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@code register:} step does, on the engine (no process, no worker): picks the {@code from}
 * output among the upstream step's stored outputs (only hashes already in the artifact store: no
 * file is read), registers a version with the run's params, code version and the chosen metrics,
 * sets its aliases, and moves the {@code promote} alias by compare-and-set when its condition holds
 * (evaluated again if another promotion moved the alias in between).
 */
final class RegisterStep {

    /**
     * How a register attempt ended: its metrics, its log lines, the lineage inputs, or why it failed
     * ({@code retryable} when the registry's database failed, not the step).
     */
    record Outcome(boolean ok, Map<String, Double> metrics, List<String> log, List<Artifact> inputs, String error,
            boolean retryable) {

        /** The attempt as stored: started and ended at {@code now}, by the engine, with its log. */
        List<Change> changes(String runId, String taskId, int attempt, Instant now, boolean counted) {
            StringBuilder text = new StringBuilder();
            for (String line : log) text.append(LogBuffers.format(now, 'S', "register: " + line));
            return List.of(
                    new Change.StartAttempt(new AttemptRecord(runId, taskId, attempt, "RUNNING", "engine", now,
                            null, null, null, null, false, false)),
                    new Change.AppendLog(runId, taskId, attempt, text.toString()),
                    ok ? new Change.FinishAttempt(runId, taskId, attempt, "SUCCEEDED", now, now, null, null, null, true,
                            List.of(), metrics, inputs)
                            : new Change.FinishAttempt(runId, taskId, attempt, "FAILED", now, now, null, "error", error,
                            counted, List.of(), Map.of(), inputs));
        }
    }

    /** {@link #run}, with expression and store failures turned into a failed outcome. */
    Outcome attempt(ActiveRun run, Task task, int attempt, java.util.function.Supplier<Scope> scope) {
        try {
            return run(run, task, attempt, scope.get());
        } catch (dev.sluice.engine.expr.ExpressionException e) {
            return new Outcome(false, Map.of(), List.of("expression error: " + e.getMessage()), List.of(),
                    "expression error: " + e.getMessage(), false);
        } catch (RuntimeException e) {
            return new Outcome(false, Map.of(), List.of("could not register: " + e.getMessage()), List.of(),
                    "could not register: " + e.getMessage(), e instanceof dev.sluice.engine.store.StoreException);
        }
    }

    private static final int PROMOTE_TRIES = 5;

    private final Store store;
    private final ContentStore artifacts;
    private final Expressions expressions;

    RegisterStep(Store store, ContentStore artifacts, Expressions expressions) {
        this.store = store;
        this.artifacts = artifacts;
        this.expressions = expressions;
    }

    Outcome run(ActiveRun run, Task task, int attempt, Scope scope) {
        Register spec = task.step().register();
        List<String> log = new ArrayList<>();
        List<Artifact> outputs = run.outputs.getOrDefault(spec.fromStep(), List.of());
        Optional<ModelContent> content = ModelContent.of(spec.fromOutput(), outputs);
        if (content.isEmpty()) {
            return failed(log, List.of(), "from " + spec.from() + ": step " + spec.fromStep() + " stored no output " + spec.fromOutput());
        }
        List<Artifact> inputs = new ArrayList<>();
        for (ModelFile f : content.get().files()) {
            String path = content.get().kind().equals("file") ? spec.fromOutput() : spec.fromOutput() + "/" + f.path();
            inputs.add(new Artifact(spec.fromStep(), path, f.sha256(), f.size()));
            if (!artifacts.contains(f.sha256())) {
                return failed(log, inputs, "from " + spec.from() + ": " + path + " is not in the artifact store");
            }
        }
        Map<String, Double> upstream = run.metrics.getOrDefault(spec.fromStep(), Map.of());
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (spec.metrics() == null) {
            metrics.putAll(upstream);
        } else {
            for (String name : spec.metrics()) {
                Double v = upstream.get(name);
                if (v == null) return failed(log, inputs, "metric " + name + " is not among the metrics of step " + spec.fromStep()
                        + " (it has " + (upstream.isEmpty() ? "none" : String.join(", ", upstream.keySet())) + ")");
                metrics.put(name, v);
            }
        }
        if (run.code == null) run.code = store.provenance(run.id()).map(RunProvenance::code).orElse(Map.of());
        Registry registry = store.registry();
        ModelVersion v = registry.register(new NewVersion(spec.model(), content.get(), run.id(), task.id(), attempt,
                run.record.pipeline(), run.record.version(), run.record.params(), run.tasksById.get(spec.fromStep()) == null
                        ? Map.of() : run.tasksById.get(spec.fromStep()).matrix(), metrics, run.code, null, Map.of()));
        log.add("registered " + v.model() + " version " + v.version() + " (" + v.kind() + " " + v.sha256() + ", "
                + v.size() + " bytes) from " + spec.from());
        Actor by = Actor.run(run.id(), task.id());
        for (String alias : spec.aliases()) {
            var moved = registry.moveAlias(v.model(), alias, v.version(), Expected.any(), by,
                    "set by step " + task.id() + " of run " + run.id());
            log.add("alias " + alias + " -> version " + v.version() + (moved.previousVersion() == null ? " (new alias)"
                    : " (was version " + moved.previousVersion() + ")"));
        }
        double promoted = 0;
        if (spec.promote() != null) promoted = promote(registry, spec.promote(), v, scope, by, log) ? 1 : 0;
        Map<String, Double> stepMetrics = new LinkedHashMap<>();
        stepMetrics.put("model_version", (double) v.version());
        stepMetrics.put("promoted", promoted);
        return new Outcome(true, stepMetrics, log, inputs, null, false);
    }

    private boolean promote(Registry registry, Register.Promote promote, ModelVersion v, Scope scope, Actor by, List<String> log) {
        String alias = promote.alias();
        for (int attempt = 1; ; attempt++) {
            Integer current = registry.aliases(v.model()).get(alias);
            try {
                if (current == null) {
                    registry.moveAlias(v.model(), alias, v.version(), Expected.absent(), by,
                            "promoted: no version held " + alias + " yet");
                    log.add("promoted version " + v.version() + " to " + alias + ": no version held it yet");
                    return true;
                }
                if (current == v.version()) {
                    log.add(alias + " already points at version " + v.version());
                    return true;
                }
                ModelVersion held = registry.version(v.model(), current).orElseThrow();
                String why = promote.condition() == null ? "promote has no if" : "'" + promote.condition() + "' held";
                boolean take = promote.condition() == null
                        || expressions.test(promote.condition(), scope.withPromote(view(v), view(held)));
                String numbers = "new v" + v.version() + " " + metrics(v) + "; " + alias + " v" + current + " " + metrics(held);
                if (!take) {
                    log.add("not promoted to " + alias + ": '" + promote.condition() + "' is false (" + numbers + ")");
                    return false;
                }
                registry.moveAlias(v.model(), alias, v.version(), Expected.at(current), by,
                        "promoted: " + why + " (" + numbers + ")");
                log.add("promoted version " + v.version() + " to " + alias + " (was version " + current + "): " + why
                        + " (" + numbers + ")");
                return true;
            } catch (AliasConflict e) {
                if (attempt >= PROMOTE_TRIES) throw e;
                log.add(alias + " moved while deciding (" + e.getMessage() + "): deciding again");
            }
        }
    }

    private static Map<String, Object> view(ModelVersion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.model());
        m.put("version", (long) v.version());
        m.put("metrics", v.metrics());
        return m;
    }

    private static String metrics(ModelVersion v) {
        if (v.metrics().isEmpty()) return "(no metrics)";
        List<String> parts = new ArrayList<>();
        v.metrics().forEach((k, x) -> parts.add(k + "=" + Values.format(x)));
        return String.join(" ", parts);
    }

    private static Outcome failed(List<String> log, List<Artifact> inputs, String error) {
        log.add(error);
        return new Outcome(false, Map.of(), log, inputs, error, false);
    }
}
