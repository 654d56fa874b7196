package dev.sluice.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ExpressionsTest {

    private final Expressions expressions = new Expressions();

    private static Scope scope(Map<String, Object> params) {
        return new Scope(params, Map.of("c", 0.1, "k", 3L),
                Map.of("id", "r-1", "logical_date", "2025-01-02T03:00:00Z", "pipeline", "churn"),
                Map.of("evaluate", new Scope.StepView("SUCCEEDED", Map.of("auc", 0.8)),
                        "load-data", new Scope.StepView("FAILED", Map.of())));
    }

    private static Scope scope() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("rows", 5000L);
        params.put("min_auc", 0.75);
        params.put("ratio", 1.0);
        params.put("name", "1; rm -rf ~");
        params.put("dry", false);
        params.put("empty", "");
        return scope(params);
    }

    @Test
    void quotesEachValueAsOneShellWord() {
        String command = expressions.renderCommand("python3 x.py --rows ${{ params.rows }} --name ${{ params.name }}"
                + " --e ${{ params.empty }} --c ${{ matrix.c }}", scope());

        assertThat(command).isEqualTo("python3 x.py --rows 5000 --name '1; rm -rf ~' --e '' --c 0.1");
    }

    @Test
    void neverLetsAParamRunACommand() throws Exception {
        Map<String, Object> params = Map.of("rows", "1; rm -rf ~; echo $(id) `id` 'x' \"y\"");

        String command = expressions.renderCommand("printf '%s|' ${{ params.rows }}", scope(params));

        Process p = new ProcessBuilder("/bin/sh", "-c", command).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        assertThat(out).isEqualTo("1; rm -rf ~; echo $(id) `id` 'x' \"y\"|");
    }

    @Test
    void keepsTheInjectionAttemptLiteralForEcho() throws Exception {
        String rendered = expressions.renderCommand("${{ params.name }}", scope());

        Process p = new ProcessBuilder("/bin/sh", "-c", "echo " + rendered).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        assertThat(rendered).isEqualTo("'1; rm -rf ~'");
        assertThat(out).isEqualTo("1; rm -rf ~\n");
    }

    @Test
    void rendersTimesAndDurationsInIsoAndSeconds() {
        assertThat(expressions.renderText("${{ timestamp(run.logical_date) + duration('1h') }} ${{ duration('90s') }}",
                scope())).isEqualTo("2025-01-02T04:00:00Z 90s");
    }

    @Test
    void rendersNumbersAsPeopleWriteThem() {
        assertThat(expressions.renderText("${{ params.rows }} ${{ params.min_auc }} ${{ params.ratio }} "
                + "${{ params.rows * 2 }} ${{ 1.0 / 4.0 }} ${{ params.dry }} ${{ [1, 2] }}", scope()))
                .isEqualTo("5000 0.75 1.0 10000 0.25 false [1, 2]");
    }

    @Test
    void substitutesTextWithoutQuoting() {
        assertThat(expressions.renderText("${{ run.pipeline }}-${{ run.id }}: ${{ params.name }}", scope()))
                .isEqualTo("churn-r-1: 1; rm -rf ~");
    }

    @Test
    void returnsATextWithoutExpressionsAsItIs() {
        String plain = "echo '${ not }' $HOME {{ x }}";

        assertThat(expressions.renderCommand(plain, scope())).isSameAs(plain);
    }

    @Test
    void testsConditions() {
        assertThat(expressions.test("steps.evaluate.metrics.auc >= params.min_auc", scope())).isTrue();
        assertThat(expressions.test("${{ params.dry }}", scope())).isFalse();
        assertThat(expressions.test("steps[\"load-data\"].status == 'FAILED'", scope())).isTrue();
        assertThat(expressions.test("params.rows > 100.5 && matrix.k == 3", scope())).isTrue();
        assertThat(expressions.test("[1, 2, 3].all(x, x > 0)", scope())).isTrue();
    }

    @Test
    void failsWithAOneLineMessageAtRuntime() {
        assertThatThrownBy(() -> expressions.renderCommand("echo ${{ params.rows / 0 }}", scope()))
                .isInstanceOf(ExpressionException.class)
                .hasMessage("expression 'params.rows / 0' failed: / by zero");
        assertThatThrownBy(() -> expressions.test("steps.evaluate.metrics.nope > 1", scope()))
                .hasMessage("expression 'steps.evaluate.metrics.nope > 1' failed: key 'nope' is not present in map");
        assertThatThrownBy(() -> expressions.test("params.rows", scope()))
                .hasMessage("condition 'params.rows' gave 5000, not true or false");
        assertThatThrownBy(() -> expressions.renderText("${{ params.rows + }}", scope()))
                .hasMessage("expression 'params.rows +': bad expression: the expression ends too early");
    }

    @Test
    void boundsLoops() {
        assertThatThrownBy(() -> expressions.test("[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, "
                + "[1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, true)))))",
                scope())).isInstanceOf(ExpressionException.class).hasMessageEndingWith("failed: iteration budget exceeded: 10000");
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<String>> jobs = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                jobs.add(() -> expressions.renderText("${{ params.rows + " + (n % 5) + " }}", scope()));
            }
            List<Future<String>> results = pool.invokeAll(jobs);
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(String.valueOf(5000 + i % 5));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
