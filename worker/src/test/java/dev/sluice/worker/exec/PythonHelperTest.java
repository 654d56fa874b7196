package dev.sluice.worker.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.worker.protocol.TaskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** sluice_step.py on every step's PYTHONPATH: what a Python step gets from it, and how it is turned off. */
class PythonHelperTest extends ExecutorTestBase {

    private static final String SCRIPT = String.join("\n",
            "import sluice_step as step",
            "assert step.params == {'rows': 5, 'flag': True, 'ratio': 0.5, 'name': 'x y'}, step.params",
            "assert step.param('rows') == 5 and step.param('ratio', type=str) == '0.5' and step.param('missing', 7) == 7",
            "assert step.matrix == {'l2': 0.1} and step.param('l2') == 0.1",
            "assert (step.run_id, step.step_id, step.attempt) == ('run-1', 'step', 1), (step.run_id, step.step_id, step.attempt)",
            "for epoch in range(3):",
            "    step.metric('loss', 1.0 / (epoch + 1), step=epoch * 10)",
            "step.metric('lr', 0.3)",
            "step.metrics(auc=0.91, rows=5)",
            "open(step.output('out/model.txt'), 'w').write('m')",
            "print('helper from', step.__file__)",
            "");

    @Test
    void aPythonStepImportsTheHelperAndGetsTypedParamsAndMetrics() throws Exception {
        Files.writeString(workdir.resolve("s.py"), SCRIPT);
        TaskResult r = run(request("python3 s.py", Map.of(
                "SLUICE_PARAMS", "{\"flag\":true,\"name\":\"x y\",\"ratio\":0.5,\"rows\":5}",
                "SLUICE_MATRIX", "{\"l2\":0.1}", "SLUICE_RUN_ID", "run-1", "SLUICE_STEP", "step", "SLUICE_ATTEMPT", "1"),
                List.of("out/model.txt"), List.of(), null));
        assertThat(r.outcome()).as(sink.lines().toString()).isEqualTo(TaskResult.Outcome.SUCCEEDED);
        // the last value of each; the step key of a series point is its x-axis, not a metric
        assertThat(r.metrics()).isEqualTo(Map.of("loss", 1.0 / 3, "lr", 0.3, "auc", 0.91, "rows", 5.0));
        assertThat(sink.texts('O')).anyMatch(l -> l.startsWith("helper from " + workRoot.toAbsolutePath().normalize()));
        assertThat(sink.texts('O')).contains("metrics: auc 0.91, rows 5");
    }

    @Test
    void withoutTypedJsonParamsAreReadFromTheirVariables() throws Exception {
        Files.writeString(workdir.resolve("s.py"), String.join("\n",
                "import sluice_step as step",
                "assert step.params == {'rows': 5, 'flag': False, 'source': 'data.csv'}, step.params",
                ""));
        TaskResult r = run(request("python3 s.py", Map.of("SLUICE_PARAM_ROWS", "5", "SLUICE_PARAM_FLAG", "false",
                "SLUICE_PARAM_SOURCE", "data.csv"), List.of(), List.of(), null));
        assertThat(r.outcome()).as(sink.lines().toString()).isEqualTo(TaskResult.Outcome.SUCCEEDED);
    }

    @Test
    void aStepsOwnPythonPathComesFirstAndTheSwitchTurnsTheHelperOff() throws Exception {
        TaskResult on = run(request("echo \"$PYTHONPATH\"", Map.of("PYTHONPATH", "/mine"), List.of(), List.of(), null));
        assertThat(on.outcome()).isEqualTo(TaskResult.Outcome.SUCCEEDED);
        assertThat(sink.texts('O')).as(sink.all()).anyMatch(l -> l.startsWith("/mine:" + workRoot.toAbsolutePath().normalize())
                && l.endsWith("/python"));

        TaskResult off = run(request("python3 -c 'import sluice_step'", Map.of("SLUICE_PYTHON_HELPER", "0"), List.of(), List.of(), null));
        assertThat(off.outcome()).isEqualTo(TaskResult.Outcome.FAILED);
        assertThat(sink.texts('E')).anyMatch(l -> l.contains("No module named 'sluice_step'"));
    }

    @Test
    void installsOneCopyPerContentAndMendsAChangedOne() throws Exception {
        Path a = PythonHelper.install(temp.resolve("root"));
        Path b = PythonHelper.install(temp.resolve("root"));
        assertThat(a).isEqualTo(b);
        Path module = a.resolve(PythonHelper.MODULE);
        assertThat(Files.readAllBytes(module)).isEqualTo(PythonHelper.content());
        module.toFile().setWritable(true);
        Files.writeString(module, "broken = True\n");
        PythonHelper.install(temp.resolve("root"));
        assertThat(Files.readAllBytes(module)).isEqualTo(PythonHelper.content());
    }
}
