package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.PipelineLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitoring example's drift step alone, on the real table: no drift at shift 0, PSI well over 0.2 at 1.5. */
class MonitoringExampleTest {

    private static final Path PIPELINES = Path.of("..", "pipelines").toAbsolutePath().normalize();

    @Test
    void theExampleValidatesWithItsAlertAndTrigger() {
        ParseResult r = PipelineLoader.load(PIPELINES.resolve("monitoring.yaml"));
        assertThat(r.problems()).isEmpty();
        assertThat(r.pipeline().alerts()).first().satisfies(a -> {
            assertThat(a.severity()).isEqualTo("critical");
            assertThat(a.trigger()).isEqualTo("heart-disease-training");
            assertThat(a.channels()).containsExactly("oncall");
        });
    }

    @Test
    void findsNoDriftWithoutAShiftAndDriftWithOne(@TempDir Path dir) throws Exception {
        assertThat(drift(dir.resolve("a"), "0").get("psi_max").asDouble()).isZero();
        JsonNode shifted = drift(dir.resolve("b"), "1.5");
        assertThat(shifted.get("psi_max").asDouble()).isGreaterThan(0.2);
        assertThat(shifted.get("ks_max").asDouble()).isBetween(0.0, 1.0);
        assertThat(drift(dir.resolve("c"), "1.5")).as("deterministic").isEqualTo(shifted);
    }

    private static JsonNode drift(Path out, String shift) throws Exception {
        Files.createDirectories(out);
        Path metrics = out.resolve("metrics");
        ProcessBuilder pb = new ProcessBuilder("python3", "drift.py", "../training/data/heart-cleveland.csv", "--shift", shift)
                .directory(PIPELINES.resolve("monitoring").toFile()).redirectErrorStream(true);
        pb.environment().put("SLUICE_METRICS", metrics.toString());
        pb.environment().put("SLUICE_OUTPUTS", out.toString());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process p = pb.start();
        String printed = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(printed).isZero();
        assertThat(out.resolve("drift.json")).exists();
        return new ObjectMapper().readTree(Files.readString(metrics));
    }
}
