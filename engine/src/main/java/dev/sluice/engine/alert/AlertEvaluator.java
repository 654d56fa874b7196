package dev.sluice.engine.alert;

import dev.sluice.engine.expr.ExpressionException;
import dev.sluice.engine.expr.Expressions;
import dev.sluice.engine.expr.Scope;
import dev.sluice.engine.pipeline.AlertRule;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.TaskRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which alerts of a run's pipeline fire at its end. No I/O: given the run, its tasks and their
 * metrics. A condition that cannot be evaluated (a metric that does not exist, its step SKIPPED) is
 * false, with the reason for the run's events.
 */
public final class AlertEvaluator {

    /** What one alert gave: fired with its message, or not, with why when it could not be evaluated. */
    public record Outcome(AlertRule rule, boolean fired, String message, String whyNot) {}

    private final Expressions expressions;

    public AlertEvaluator(Expressions expressions) {
        this.expressions = expressions;
    }

    public List<Outcome> evaluate(List<AlertRule> rules, RunRecord run, List<TaskRecord> tasks,
            Map<String, Map<String, Double>> metrics) {
        Scope scope = scope(run, tasks, metrics);
        List<Outcome> out = new ArrayList<>();
        for (AlertRule rule : rules) {
            boolean fired;
            String whyNot = null;
            if (!rule.isExpression()) {
                fired = switch (rule.when()) {
                    case "failed" -> run.status() == RunState.FAILED;
                    case "succeeded" -> run.status() == RunState.SUCCEEDED;
                    default -> run.status().terminal();
                };
            } else {
                try {
                    fired = expressions.test(rule.when(), scope);
                } catch (ExpressionException | IllegalArgumentException e) {
                    fired = false;
                    whyNot = "alert " + rule.index() + " (" + rule.when() + ") is false: " + e.getMessage();
                }
            }
            String message = null;
            if (fired) message = message(rule, run, scope);
            out.add(new Outcome(rule, fired, message, whyNot));
        }
        return out;
    }

    private String message(AlertRule rule, RunRecord run, Scope scope) {
        String fallback = run.pipeline() + " run " + run.id() + " " + run.status() + ": alert " + rule.index()
                + " (" + (rule.isExpression() ? rule.when() : "when " + rule.when()) + ")";
        if (rule.message() == null) return fallback;
        try {
            return expressions.renderText(rule.message(), scope);
        } catch (ExpressionException | IllegalArgumentException e) {
            return rule.message() + " [message not rendered: " + e.getMessage() + "]";
        }
    }

    /** Every step's status (a matrix step's aggregated) and its metrics (of a step with one task). */
    static Scope scope(RunRecord run, List<TaskRecord> tasks, Map<String, Map<String, Double>> metrics) {
        Map<String, List<TaskRecord>> byStep = new LinkedHashMap<>();
        for (TaskRecord t : tasks) byStep.computeIfAbsent(t.stepId(), k -> new ArrayList<>()).add(t);
        Map<String, Scope.StepView> steps = new LinkedHashMap<>();
        byStep.forEach((stepId, list) -> {
            StepState status = aggregate(list);
            Map<String, Double> m = list.size() == 1 ? metrics.getOrDefault(list.get(0).taskId(), Map.of()) : Map.of();
            steps.put(stepId, new Scope.StepView(status.name(), m));
        });
        Map<String, String> runInfo = Map.of("id", run.id(), "logical_date", run.logicalDate().toString(),
                "pipeline", run.pipeline(), "status", run.status().name());
        return new Scope(run.params(), Map.of(), runInfo, steps);
    }

    private static StepState aggregate(List<TaskRecord> tasks) {
        for (StepState s : List.of(StepState.FAILED, StepState.CANCELLED, StepState.SKIPPED)) {
            if (tasks.stream().anyMatch(t -> t.status() == s)) return s;
        }
        return tasks.stream().allMatch(t -> t.status() == StepState.SUCCEEDED) ? StepState.SUCCEEDED : tasks.get(0).status();
    }
}
