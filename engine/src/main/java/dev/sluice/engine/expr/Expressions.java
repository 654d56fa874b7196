package dev.sluice.engine.expr;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluates {@code ${{ }}} expressions for a task about to run. Thread-safe; compiled programs
 * are cached by expression text. CEL is loaded on the first expression only: a text without
 * {@code ${{} is returned as it is.
 */
public final class Expressions {

    private volatile CelEvaluator evaluator;

    public Expressions() {
    }

    /**
     * A {@code run:} command with each {@code ${{ expr }}} replaced by its value quoted as one
     * shell word ({@link ShellWords#quote}), so a value can never add a command.
     *
     * @throws ExpressionException when an expression fails
     */
    public String renderCommand(String template, Scope scope) {
        return render(template, scope, true);
    }

    /**
     * A text (an {@code env} value) with each {@code ${{ expr }}} replaced by its value, unquoted.
     *
     * @throws ExpressionException when an expression fails
     */
    public String renderText(String template, Scope scope) {
        return render(template, scope, false);
    }

    /**
     * The value of a condition: a bare expression or one {@code ${{ }}}.
     *
     * @throws ExpressionException when it fails or does not give a boolean
     */
    public boolean test(String condition, Scope scope) {
        String expression = Template.condition(condition).expression();
        Object v = evaluator().eval(expression, activation(scope));
        if (v instanceof Boolean b) return b;
        throw new ExpressionException("condition '" + CelEvaluator.shown(expression) + "' gave " + Values.format(v) + ", not true or false");
    }

    /** The value of one expression, as CEL gives it (Long, Double, String, Boolean, List, Map). */
    public Object evaluate(String expression, Scope scope) {
        return evaluator().eval(expression, activation(scope));
    }

    private String render(String template, Scope scope, boolean quote) {
        if (!Template.hasExpressions(template)) return template;
        Template t = Template.parse(template);
        Map<String, Object> activation = activation(scope);
        StringBuilder sb = new StringBuilder(template.length() + 16);
        for (Template.Part part : t.parts()) {
            if (part instanceof Template.Text text) {
                sb.append(text.text());
            } else {
                String value = Values.format(evaluator().eval(((Template.Expr) part).expression(), activation));
                sb.append(quote ? ShellWords.quote(value) : value);
            }
        }
        return sb.toString();
    }

    private static Map<String, Object> activation(Scope scope) {
        Map<String, Object> steps = new LinkedHashMap<>();
        scope.steps().forEach((id, view) -> steps.put(id, Map.of(
                "status", view.status() == null ? "" : view.status(),
                "metrics", view.metrics())));
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("params", scope.params());
        a.put("matrix", scope.matrix());
        a.put("run", scope.run());
        a.put("steps", steps);
        a.put("models", scope.models());
        a.put("new", scope.promote().getOrDefault("new", Map.of()));
        a.put("current", scope.promote().getOrDefault("current", Map.of()));
        return a;
    }

    private CelEvaluator evaluator() {
        CelEvaluator e = evaluator;
        if (e == null) {
            synchronized (this) {
                e = evaluator;
                if (e == null) {
                    e = new CelEvaluator();
                    evaluator = e;
                }
            }
        }
        return e;
    }
}
