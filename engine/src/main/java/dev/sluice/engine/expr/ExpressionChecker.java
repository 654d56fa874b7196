package dev.sluice.engine.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Checks expressions of one pipeline before it runs: syntax, names ({@code params.X},
 * {@code matrix.X}, {@code run.X}, {@code steps.ID.status|metrics}), that a referenced step is
 * upstream, and types (params typed by their defaults, metrics are doubles). Not thread-safe:
 * one per validation.
 */
public final class ExpressionChecker {

    /** Where an expression stands. */
    public record Context(String stepId, Map<String, ValueType> matrix, Predicate<String> upstream,
            boolean condition, Set<String> models, boolean promote) {

        /**
         * @param stepId    the step it belongs to; null for the pipeline's own {@code env}
         * @param matrix    the step's matrix names and types; null when the step has no matrix
         * @param upstream  true for the ids of steps this step needs, directly or not
         * @param condition true for an {@code if:} (it must give a boolean)
         * @param models    the step's model keys ({@code models.KEY}); empty when it has none
         * @param promote   true for a register step's {@code promote.if}, which sees {@code new} and {@code current}
         */
        public Context {
            upstream = upstream == null ? id -> false : upstream;
            models = models == null ? Set.of() : Set.copyOf(models);
        }

        public Context(String stepId, Map<String, ValueType> matrix, Predicate<String> upstream, boolean condition) {
            this(stepId, matrix, upstream, condition, Set.of(), false);
        }
    }

    // status: the run's state, RUNNING in steps, the end state in alerts
    static final Set<String> RUN_FIELDS = Set.of("id", "logical_date", "pipeline", "status");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, ValueType> params;
    private final Set<String> steps;
    private final Set<String> matrixSteps;

    /**
     * @param params      declared params and their types, in file order
     * @param steps       every step id of the pipeline
     * @param matrixSteps ids of the steps that have a matrix
     */
    public ExpressionChecker(Map<String, ValueType> params, Collection<String> steps, Collection<String> matrixSteps) {
        this.params = new LinkedHashMap<>(params);
        this.steps = new LinkedHashSet<>(steps);
        this.matrixSteps = Set.copyOf(matrixSteps);
    }

    /** Every issue of one expression (empty when it is fine). */
    public List<ExpressionIssue> check(String expression, Context context) {
        if (expression.length() > CelSetup.MAX_LENGTH) {
            return List.of(new ExpressionIssue(0, "bad-expression",
                    "expression is longer than " + CelSetup.MAX_LENGTH + " characters", null));
        }
        CelValidationResult parsed;
        try {
            parsed = CelSetup.BASE.parse(expression);
        } catch (RuntimeException e) {
            return List.of(CelSetup.issue(0, e.getMessage()));
        }
        if (parsed.hasError()) return issues(parsed);
        CelAbstractSyntaxTree ast;
        try {
            ast = parsed.getAst();
        } catch (Exception e) {
            return List.of(CelSetup.issue(0, e.getMessage()));
        }
        References refs = new References(ast, context, params.keySet(), steps, matrixSteps);
        List<ExpressionIssue> found = refs.check();
        if (!found.isEmpty()) return found;

        CelValidationResult checked;
        try {
            checked = compiler(context, refs.referencedSteps()).check(ast);
        } catch (RuntimeException e) {
            return List.of(CelSetup.issue(0, e.getMessage()));
        }
        if (checked.hasError()) return issues(checked);
        if (context.condition()) {
            try {
                var type = checked.getAst().getResultType();
                if (type.kind() != CelKind.BOOL && type.kind() != CelKind.DYN) {
                    return List.of(new ExpressionIssue(0, "type-error",
                            "a condition must give true or false; this one gives " + type.name(), null));
                }
            } catch (Exception e) {
                return List.of(CelSetup.issue(0, e.getMessage()));
            }
        }
        return List.of();
    }

    private dev.cel.compiler.CelCompiler compiler(Context context, Set<String> referencedSteps) {
        CelCompilerBuilder b = CelSetup.BASE.toCompilerBuilder();
        b.addVar("params", CelSetup.DYN_MAP);
        params.forEach((name, type) -> b.addVar("params." + name, CelSetup.celType(type)));
        b.addVar("run", CelSetup.DYN_MAP);
        for (String f : RUN_FIELDS) b.addVar("run." + f, SimpleType.STRING);
        if (context.matrix() != null) {
            b.addVar("matrix", CelSetup.DYN_MAP);
            context.matrix().forEach((name, type) -> b.addVar("matrix." + name, CelSetup.celType(type)));
        }
        b.addVar("steps", CelSetup.STEPS);
        b.addVar("models", CelSetup.STEPS);
        for (String key : context.models()) {
            if (!IDENTIFIER.matcher(key).matches()) continue;
            b.addVar("models." + key + ".name", SimpleType.STRING);
            b.addVar("models." + key + ".version", SimpleType.INT);
            b.addVar("models." + key + ".metrics", CelSetup.METRICS);
        }
        if (context.promote()) {
            for (String side : List.of("new", "current")) {
                b.addVar(side, CelSetup.DYN_MAP);
                b.addVar(side + ".name", SimpleType.STRING);
                b.addVar(side + ".version", SimpleType.INT);
                b.addVar(side + ".metrics", CelSetup.METRICS);
            }
        }
        for (String id : referencedSteps) {
            if (!IDENTIFIER.matcher(id).matches()) continue;
            b.addVar("steps." + id + ".status", SimpleType.STRING);
            b.addVar("steps." + id + ".metrics", CelSetup.METRICS);
        }
        return b.build();
    }

    private static List<ExpressionIssue> issues(CelValidationResult result) {
        List<ExpressionIssue> list = new ArrayList<>();
        for (CelIssue issue : result.getErrors()) {
            list.add(CelSetup.issue(CelSetup.offset(result, issue), issue.getMessage()));
        }
        return list;
    }
}
