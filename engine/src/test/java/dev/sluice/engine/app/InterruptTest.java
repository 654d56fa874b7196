package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) of {@code sluice run}: the run is cancelled and recorded so, its steps are killed. */
class InterruptTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path scratch;

    @Test
    void ctrlCCancelsTheRunKillsItsStepsAndExitsWith130() throws Exception {
        Path marker = scratch.resolve("started");
        Process sluice = Cli.startLongRun(dataDir, marker, scratch.resolve("sluice.log"), "-Dsluice.kill-grace=PT1S");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(marker) || !sluice.isAlive());
            long stepPid = Long.parseLong(Files.readString(marker).trim());

            new ProcessBuilder("kill", "-INT", Long.toString(sluice.pid())).start().waitFor();

            assertThat(sluice.waitFor(30, TimeUnit.SECONDS)).as("sluice exits after Ctrl-C").isTrue();
            String log = Files.readString(scratch.resolve("sluice.log"));
            assertThat(sluice.exitValue()).as(log).isEqualTo(130);
            assertThat(log).contains("cancelling run");
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(stepPid).map(p -> !p.isAlive()).orElse(true));

            Cli.Result runs = new Cli(dataDir).run("runs", "--json");
            JsonNode run = runs.json().get(0);
            assertThat(run.get("status").asText()).isEqualTo("CANCELLED");
            Cli.Result show = new Cli(dataDir).run("show", run.get("id").asText(), "--json");
            assertThat(show.step("first").get("status").asText()).isEqualTo("CANCELLED");
            assertThat(show.step("second").get("status").asText()).isEqualTo("CANCELLED");
        } finally {
            sluice.destroyForcibly();
        }
    }
}
