package dev.sluice.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExpressionCheckerTest {

    private final ExpressionChecker checker = new ExpressionChecker(params(),
            List.of("extract", "load-data", "train", "evaluate", "register"), Set.of("train"));

    private static Map<String, ValueType> params() {
        Map<String, ValueType> p = new LinkedHashMap<>();
        p.put("rows", ValueType.INT);
        p.put("min_auc", ValueType.DOUBLE);
        p.put("tag", ValueType.STRING);
        p.put("dry", ValueType.BOOL);
        return p;
    }

    private static final Set<String> UPSTREAM_OF_REGISTER = Set.of("extract", "load-data", "train", "evaluate");

    private List<ExpressionIssue> inRegister(String expression) {
        return checker.check(expression, new ExpressionChecker.Context("register", null, UPSTREAM_OF_REGISTER::contains, false));
    }

    private List<ExpressionIssue> condition(String expression) {
        return checker.check(expression, new ExpressionChecker.Context("register", null, UPSTREAM_OF_REGISTER::contains, true));
    }

    private List<ExpressionIssue> inMatrixStep(String expression) {
        return checker.check(expression, new ExpressionChecker.Context("train",
                Map.of("c", ValueType.DOUBLE, "opt", ValueType.STRING), "extract"::equals, false));
    }

    @Test
    void acceptsEveryNameInScope() {
        assertThat(condition("steps.evaluate.metrics.auc >= params.min_auc && !params.dry")).isEmpty();
        assertThat(condition("steps[\"load-data\"].status == 'SUCCEEDED'")).isEmpty();
        assertThat(condition("steps.train.status == 'SUCCEEDED'")).isEmpty();
        assertThat(inRegister("run.id + run.logical_date + run.pipeline + params.tag")).isEmpty();
        assertThat(inRegister("params.rows * 2")).isEmpty();
        assertThat(inRegister("params.rows > 1.5")).isEmpty();
        assertThat(inRegister("[1, 2].map(x, x * params.rows)")).isEmpty();
        assertThat(inMatrixStep("matrix.c * 2.0")).isEmpty();
        assertThat(inMatrixStep("matrix.opt + '-x'")).isEmpty();
    }

    @Test
    void reportsUnknownParamsWithASuggestionAndTheirOffset() {
        assertThat(inRegister("params.rowz + 1")).containsExactly(
                new ExpressionIssue(7, "unknown-name", "unknown param 'rowz'", "did you mean 'rows'?"));
        assertThat(inRegister("1 + params.nope")).containsExactly(
                new ExpressionIssue(11, "unknown-name", "unknown param 'nope'", null));
    }

    @Test
    void reportsAStepThatIsNotUpstream() {
        List<ExpressionIssue> issues = checker.check("steps.register.status == 'x'",
                new ExpressionChecker.Context("evaluate", null, Set.of("extract", "train")::contains, true));

        assertThat(issues).extracting(ExpressionIssue::code, ExpressionIssue::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("not-upstream",
                        "step 'register' is not upstream of 'evaluate'"));
    }

    @Test
    void reportsUnknownStepsAndFields() {
        assertThat(inRegister("steps.evaluat.status")).extracting(ExpressionIssue::message, ExpressionIssue::hint)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("unknown step 'evaluat'", "did you mean 'evaluate'?"));
        assertThat(inRegister("steps.evaluate.output")).extracting(ExpressionIssue::message)
                .containsExactly("unknown field 'output' of step 'evaluate'");
        assertThat(inRegister("steps.register.status")).extracting(ExpressionIssue::message)
                .containsExactly("step 'register' cannot refer to itself");
    }

    @Test
    void explainsHowToNameAStepWhoseIdHasADash() {
        assertThat(inRegister("steps.load-data.status == 'x'")).extracting(ExpressionIssue::message, ExpressionIssue::hint)
                .first().isEqualTo(org.assertj.core.groups.Tuple.tuple("unknown step 'load'",
                        "an id with '-' is written steps[\"load-data\"]"));
    }

    @Test
    void acceptsPresenceTestsOnMetrics() {
        assertThat(condition("has(steps.evaluate.metrics.auc) && 'f1' in steps.evaluate.metrics")).isEmpty();
    }

    @Test
    void refusesMetricsOfAMatrixStep() {
        assertThat(inRegister("steps.train.metrics.auc > 0.5")).extracting(ExpressionIssue::code)
                .containsExactly("matrix-metrics");
    }

    @Test
    void refusesMatrixOutsideAMatrixStepAndUnknownMatrixNames() {
        assertThat(inRegister("matrix.c")).extracting(ExpressionIssue::message)
                .containsExactly("'matrix' is only known in a step that has a matrix");
        assertThat(inMatrixStep("matrix.cc")).extracting(ExpressionIssue::message, ExpressionIssue::hint)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("unknown matrix name 'cc'", "did you mean 'c'?"));
    }

    @Test
    void refusesStepsInThePipelinesOwnEnv() {
        assertThat(checker.check("steps.extract.status", new ExpressionChecker.Context(null, null, null, false)))
                .extracting(ExpressionIssue::message)
                .containsExactly("'steps' is only known inside a step (not in the pipeline's env)");
    }

    @Test
    void findsTypeErrorsStatically() {
        assertThat(inRegister("params.rows + 'x'")).extracting(ExpressionIssue::code, ExpressionIssue::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("type-error", "cannot apply '+' to int and string"));
        assertThat(inRegister("steps.evaluate.metrics.auc + 'x'")).extracting(ExpressionIssue::message)
                .containsExactly("cannot apply '+' to double and string");
        assertThat(inRegister("params.rows * 1.5")).extracting(ExpressionIssue::message)
                .containsExactly("cannot apply '*' to int and double");
        assertThat(condition("params.rows + 1")).extracting(ExpressionIssue::message)
                .containsExactly("a condition must give true or false; this one gives int");
    }

    @Test
    void reportsUnknownRootNames() {
        assertThat(inRegister("foo.bar > 1")).extracting(ExpressionIssue::message, ExpressionIssue::hint)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("unknown name 'foo'",
                        "expressions can use params, matrix, run and steps"));
    }

    @Test
    void reportsSyntaxErrorsWhereTheyAre() {
        assertThat(inRegister("params.rows +")).containsExactly(
                new ExpressionIssue(13, "bad-expression", "bad expression: the expression ends too early", null));
    }

    @Test
    void offersNoFunctionBeyondTheStandardOnes() {
        assertThat(inRegister("exec('rm -rf ~')")).extracting(ExpressionIssue::code).isNotEmpty();
        assertThat(inRegister("readFile('/etc/passwd')")).isNotEmpty();
    }
}
