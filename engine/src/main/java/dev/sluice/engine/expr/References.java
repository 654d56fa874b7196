package dev.sluice.engine.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a parsed expression for the names it uses ({@code params.rows}, {@code steps["a-b"].status})
 * and reports those that do not exist or may not be used here, with messages that say why.
 */
final class References {

    /** One step of a name: {@code .field} or {@code ["key"]}; key null for a computed index. */
    private record Segment(String key, long exprId, boolean index) {
    }

    private final CelAbstractSyntaxTree ast;
    private final ExpressionChecker.Context context;
    private final Set<String> params;
    private final Set<String> steps;
    private final Set<String> matrixSteps;
    private final List<ExpressionIssue> issues = new ArrayList<>();
    private final Set<String> referencedSteps = new LinkedHashSet<>();

    References(CelAbstractSyntaxTree ast, ExpressionChecker.Context context, Set<String> params,
            Set<String> steps, Set<String> matrixSteps) {
        this.ast = ast;
        this.context = context;
        this.params = params;
        this.steps = steps;
        this.matrixSteps = matrixSteps;
    }

    List<ExpressionIssue> check() {
        visit(ast.getExpr());
        return issues;
    }

    Set<String> referencedSteps() {
        return referencedSteps;
    }

    private void visit(CelExpr e) {
        switch (e.getKind()) {
            case IDENT, SELECT -> name(e);
            case CALL -> {
                if (isIndex(e)) {
                    name(e);
                } else {
                    e.call().target().ifPresent(this::visit);
                    e.call().args().forEach(this::visit);
                }
            }
            case LIST -> e.list().elements().forEach(this::visit);
            case MAP -> e.map().entries().forEach(en -> {
                visit(en.key());
                visit(en.value());
            });
            case STRUCT -> e.struct().entries().forEach(en -> visit(en.value()));
            case COMPREHENSION -> {
                var c = e.comprehension();
                visit(c.iterRange());
                visit(c.accuInit());
                visit(c.loopCondition());
                visit(c.loopStep());
                visit(c.result());
            }
            default -> {
            }
        }
    }

    private static boolean isIndex(CelExpr e) {
        return e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().function().equals("_[_]")
                && e.call().args().size() == 2 && e.call().target().isEmpty();
    }

    /** A chain of selects and indexes; checked when it starts at one of our root names. */
    private void name(CelExpr outer) {
        List<Segment> segments = new ArrayList<>();
        CelExpr e = outer;
        while (true) {
            if (e.getKind() == CelExpr.ExprKind.Kind.SELECT) {
                segments.add(0, new Segment(e.select().field(), e.id(), false));
                e = e.select().operand();
            } else if (isIndex(e)) {
                CelExpr key = e.call().args().get(1);
                boolean constant = key.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                        && key.constant().getKind() == CelConstant.Kind.STRING_VALUE;
                if (!constant) visit(key);
                segments.add(0, new Segment(constant ? key.constant().stringValue() : null, key.id(), true));
                e = e.call().args().get(0);
            } else {
                break;
            }
        }
        if (e.getKind() != CelExpr.ExprKind.Kind.IDENT) {
            visit(e);
            return;
        }
        String root = e.ident().name();
        switch (root) {
            case "params" -> checkParams(segments);
            case "matrix" -> checkMatrix(e, segments);
            case "run" -> checkRun(segments);
            case "steps" -> checkSteps(e, segments);
            case "models" -> checkModels(e, segments);
            case "new", "current" -> checkPromote(e, root, segments);
            default -> {
                // comprehension variables and unknown names: the type checker knows them
            }
        }
    }

    private void checkParams(List<Segment> s) {
        if (s.isEmpty() || s.get(0).key() == null) return;
        String name = s.get(0).key();
        if (!params.contains(name)) {
            add(s.get(0), "unknown-name", "unknown param '" + name + "'", Spelling.didYouMean(name, params));
        }
    }

    private void checkMatrix(CelExpr root, List<Segment> s) {
        Map<String, ValueType> matrix = context.matrix();
        if (matrix == null) {
            issues.add(new ExpressionIssue(position(root.id()), "unknown-name",
                    "'matrix' is only known in a step that has a matrix", null));
            return;
        }
        if (s.isEmpty() || s.get(0).key() == null) return;
        String name = s.get(0).key();
        if (!matrix.containsKey(name)) {
            add(s.get(0), "unknown-name", "unknown matrix name '" + name + "'", Spelling.didYouMean(name, matrix.keySet()));
        }
    }

    private void checkRun(List<Segment> s) {
        if (s.isEmpty() || s.get(0).key() == null) return;
        String name = s.get(0).key();
        if (!ExpressionChecker.RUN_FIELDS.contains(name)) {
            String hint = Spelling.didYouMean(name, ExpressionChecker.RUN_FIELDS);
            add(s.get(0), "unknown-name", "unknown name 'run." + name + "'",
                    hint != null ? hint : "run has id, logical_date and pipeline");
        }
    }

    private void checkSteps(CelExpr root, List<Segment> s) {
        if (context.stepId() == null) {
            issues.add(new ExpressionIssue(position(root.id()), "unknown-name",
                    "'steps' is only known inside a step (not in the pipeline's env)", null));
            return;
        }
        if (s.isEmpty() || s.get(0).key() == null) return;
        Segment idSegment = s.get(0);
        String id = idSegment.key();
        if (!steps.contains(id)) {
            String hint = null;
            for (String known : steps) {
                if (known.startsWith(id + "-")) {
                    hint = "an id with '-' is written steps[\"" + known + "\"]";
                    break;
                }
            }
            add(idSegment, "unknown-name", "unknown step '" + id + "'", hint != null ? hint : Spelling.didYouMean(id, steps));
            return;
        }
        if (id.equals(context.stepId())) {
            add(idSegment, "not-upstream", "step '" + id + "' cannot refer to itself", null);
            return;
        }
        if (!context.upstream().test(id)) {
            add(idSegment, "not-upstream", "step '" + id + "' is not upstream of '" + context.stepId() + "'",
                    "add it to needs, directly or through another step");
            return;
        }
        referencedSteps.add(id);
        if (s.size() < 2 || s.get(1).key() == null) return;
        String field = s.get(1).key();
        if (field.equals("metrics")) {
            if (matrixSteps.contains(id)) {
                add(s.get(1), "matrix-metrics", "metrics of matrix step '" + id + "' cannot be used in an expression",
                        "a matrix step has metrics per variant; use steps." + id + ".status");
            }
        } else if (!field.equals("status")) {
            add(s.get(1), "unknown-name", "unknown field '" + field + "' of step '" + id + "'",
                    "a step has status and metrics");
        }
    }

    private void checkModels(CelExpr root, List<Segment> s) {
        if (context.models().isEmpty()) {
            issues.add(new ExpressionIssue(position(root.id()), "unknown-name",
                    "'models' is only known in a step that has models", null));
            return;
        }
        if (s.isEmpty() || s.get(0).key() == null) return;
        String key = s.get(0).key();
        if (!context.models().contains(key)) {
            add(s.get(0), "unknown-name", "unknown model key '" + key + "'", Spelling.didYouMean(key, context.models()));
            return;
        }
        if (s.size() < 2 || s.get(1).key() == null) return;
        String field = s.get(1).key();
        if (!field.equals("name") && !field.equals("version") && !field.equals("metrics")) {
            add(s.get(1), "unknown-name", "unknown field '" + field + "' of model '" + key + "'",
                    "a model has name, version and metrics");
        }
    }

    private void checkPromote(CelExpr root, String side, List<Segment> s) {
        if (!context.promote()) {
            issues.add(new ExpressionIssue(position(root.id()), "unknown-name",
                    "'" + side + "' is only known in a register step's promote.if", null));
            return;
        }
        if (s.isEmpty() || s.get(0).key() == null) return;
        String field = s.get(0).key();
        if (!field.equals("name") && !field.equals("version") && !field.equals("metrics")) {
            add(s.get(0), "unknown-name", "unknown field '" + field + "' of '" + side + "'",
                    side + " has name, version and metrics");
        }
    }

    private void add(Segment segment, String code, String message, String hint) {
        int at = position(segment.exprId());
        if (at >= 0 && !segment.index()) at++; // a select's position is its dot
        issues.add(new ExpressionIssue(at, code, message, hint));
    }

    private int position(long exprId) {
        Integer p = ast.getSource().getPositionsMap().get(exprId);
        return p == null ? -1 : p;
    }

    static Collection<String> roots() {
        return List.of("params", "matrix", "run", "steps", "models", "new", "current");
    }
}
