package dev.sluice.engine.pipeline;

import dev.sluice.engine.expr.ValueType;
import dev.sluice.engine.pipeline.YamlNode.YamlScalar;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What binding gives before cross-checks: the pipeline's fields with where they came from. */
final class Drafts {

    private Drafts() {
    }

    /**
     * A reference to a step id (a {@code needs} item) and where it is.
     *
     * @param list  the YAML path of the list
     * @param index the item's index in it, or -1 when the step id was given alone, not in a list
     */
    record Ref(String id, Location location, String list, int index) {
        String path() {
            return index < 0 ? list : Paths.item(list, index);
        }
    }

    /**
     * An expression found in the file.
     *
     * @param offset where the expression starts in the scalar's text
     * @param stepId its step, or null for the pipeline's env
     */
    record ExprSite(String expression, YamlScalar scalar, int offset, String path, String stepId,
            boolean condition, boolean promote) {
        ExprSite(String expression, YamlScalar scalar, int offset, String path, String stepId, boolean condition) {
            this(expression, scalar, offset, path, stepId, condition, false);
        }
    }

    /**
     * A {@code register:} block as bound, with where its {@code from} is (checked against needs
     * and the upstream step's outputs once every step is bound).
     */
    record RegisterDraft(Register register, Location fromLocation, String fromPath) {
    }

    /** Pipeline {@code defaults}; null fields are not set. */
    record Defaults(Integer retries, Duration retryDelay, Duration timeout, List<String> labels) {
        static final Defaults NONE = new Defaults(null, null, null, null);
    }

    /** A step as bound; id or run are null when missing or wrong (the problem is reported). */
    record StepDraft(int index, String path, Location location, String id, Location idLocation, String run,
            List<Ref> needs, String workdir, Map<String, String> env, List<String> outputs, int retries,
            Duration retryDelay, Duration timeout, List<String> labels, String condition,
            Map<String, List<Object>> matrix, Map<String, ValueType> matrixTypes, boolean cache,
            List<String> cacheFiles, List<ExprSite> expressions, RegisterDraft register, Map<String, String> models) {

        int taskCount() {
            long n = 1;
            for (List<Object> values : matrix.values()) n = Math.min(n * Math.max(1, values.size()), Integer.MAX_VALUE);
            return (int) n;
        }

        Step toStep() {
            List<String> ids = new java.util.ArrayList<>(needs.size());
            for (Ref r : needs) if (!ids.contains(r.id())) ids.add(r.id());
            return new Step(id, run == null ? "" : run, ids, workdir, env, outputs,
                    retries, retryDelay, timeout, labels, condition, matrix, cache, cacheFiles,
                    register == null ? null : register.register(), models);
        }
    }

    /** The whole file as bound. */
    record PipelineDraft(String name, String description, Map<String, Param> params, Schedule schedule,
            int concurrency, Map<String, String> env, List<StepDraft> steps, List<ExprSite> expressions,
            List<EventTrigger> triggers, List<AlertRule> alerts, List<ExprSite> alertExpressions) {
    }
}
