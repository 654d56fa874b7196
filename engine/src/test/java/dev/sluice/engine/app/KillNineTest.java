package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kill -9} of {@code sluice run} mid-run leaves a consistent store and no stray processes. */
class KillNineTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path scratch;

    @Test
    void theNextCommandMarksAKilledRunInterruptedAndKillsItsLeftoverSteps() throws Exception {
        Path marker = scratch.resolve("started");
        Process sluice = Cli.startLongRun(dataDir, marker, scratch.resolve("sluice.log"));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(marker) || !sluice.isAlive());
            assertThat(sluice.isAlive()).as(Files.readString(scratch.resolve("sluice.log"))).isTrue();
            long stepPid = Long.parseLong(Files.readString(marker).trim());
            assertThat(ProcessHandle.of(stepPid)).isPresent();

            sluice.destroyForcibly(); // SIGKILL
            sluice.waitFor();

            Cli cli = new Cli(dataDir);
            Cli.Result runs = cli.run("runs", "--json");
            assertThat(runs.exitCode()).as(runs.err()).isZero();
            JsonNode run = runs.json().get(0);
            assertThat(run.get("status").asText()).isEqualTo("FAILED");
            assertThat(run.get("reason").asText()).isEqualTo("interrupted");

            Cli.Result show = cli.run("show", run.get("id").asText(), "--json");
            JsonNode first = show.step("first");
            assertThat(first.get("status").asText()).isEqualTo("FAILED");
            assertThat(first.get("reason").asText()).isEqualTo("interrupted");
            assertThat(first.get("attempts")).hasSize(1);
            assertThat(first.get("attempts").get(0).get("reason").asText()).isEqualTo("interrupted");
            assertThat(show.step("second").get("status").asText()).isEqualTo("CANCELLED");
            assertThat(List.of("SUCCEEDED", "CANCELLED", "FAILED")).contains(show.step("side").get("status").asText());
            for (JsonNode step : show.json().get("steps")) {
                for (JsonNode a : step.get("attempts")) assertThat(a.get("status").asText()).isNotEqualTo("RUNNING");
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(stepPid).map(p -> !p.isAlive()).orElse(true));
        } finally {
            sluice.destroyForcibly();
        }
    }
}
