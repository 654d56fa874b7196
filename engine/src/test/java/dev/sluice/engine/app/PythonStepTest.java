package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline's Python steps import sluice_step with no setup: typed params and matrix values, metric series. */
class PythonStepTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path folder;

    @Test
    void pythonStepsGetTheHelperWithTypedParamsUnlessTurnedOff() throws IOException {
        Files.writeString(folder.resolve("train.py"), String.join("\n",
                "import sluice_step as step",
                "assert step.params == {'rows': 5, 'flag': True, 'ratio': 0.5, 'name': 'x y'}, step.params",
                "assert isinstance(step.param('l2'), float) and step.matrix == {'l2': step.param('l2')}, step.matrix",
                "for epoch in range(0, 30, 10):",
                "    step.metric('loss', 1.0 / (epoch + 1), step=epoch)",
                "step.metrics(rows=step.param('rows'), flag=step.param('flag'))",
                ""));
        Files.writeString(folder.resolve("p.yaml"), String.join("\n",
                "name: py",
                "params: {rows: 5, flag: true, ratio: 0.5, name: x y}",
                "steps:",
                "  - id: train",
                "    matrix: {l2: [0.1, 1.0]}",
                "    run: python3 train.py",
                "  - id: plain",
                "    env: {SLUICE_PYTHON_HELPER: \"0\"}",
                "    run: python3 -c 'import sluice_step' 2>/dev/null && exit 1 || echo off",
                ""));
        Cli.Result r = new Cli(dataDir).run("run", folder.resolve("p.yaml").toString(), "--json");
        assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
        JsonNode metrics = r.step("train[l2=0.1]").get("metrics");
        assertThat(metrics.get("loss").asDouble()).isEqualTo(1.0 / 21);
        assertThat(metrics.get("rows").asDouble()).isEqualTo(5);
        assertThat(metrics.get("flag").asDouble()).isEqualTo(1);
        assertThat(metrics.has("step")).isFalse();
        assertThat(r.step("plain").get("status").asText()).isEqualTo("SUCCEEDED");
    }
}
