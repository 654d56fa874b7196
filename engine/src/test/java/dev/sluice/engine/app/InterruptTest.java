package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) of {@code sluice run}: the run is cancelled and recorded so, its steps are killed.
 * A terminal sends it to its whole foreground process group, the steps included (they share the
 * JVM's group): they end by it at the same moment, and the run must still end CANCELLED, without
 * retries.
 */
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

    @Test
    void ctrlCInTheTerminalCancelsTheRunWithoutRetriesThoughItsStepsGetTheSignalToo() throws Exception {
        Path marker = scratch.resolve("started");
        Path log = scratch.resolve("sluice.log");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/setsid", // its own process group, as a terminal's job has
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dsluice.kill-grace=PT1S",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", Cli.fixture("interrupt.yaml").toString(), "--param", "marker=" + marker,
                "--data-dir", dataDir.toString(), "--slots", "2"));
        Process sluice = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Path side = scratch.resolve("started.side");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(marker) && Files.exists(side) || !sluice.isAlive());
            assertThat(sluice.isAlive()).as(Files.readString(log)).isTrue();
            long first = Long.parseLong(Files.readString(marker).trim());
            long second = Long.parseLong(Files.readString(side).trim());

            // what the terminal does on Ctrl-C: SIGINT to every process of the foreground group
            new ProcessBuilder("kill", "-s", "INT", "--", "-" + sluice.pid()).start().waitFor();

            assertThat(sluice.waitFor(30, TimeUnit.SECONDS)).as("sluice exits after Ctrl-C").isTrue();
            String out = Files.readString(log);
            assertThat(sluice.exitValue()).as(out).isEqualTo(130);
            assertThat(out).contains("cancelling run").doesNotContain("FAILED");
            await().atMost(Duration.ofSeconds(10)).until(() -> !alive(first) && !alive(second));

            Cli.Result runs = new Cli(dataDir).run("runs", "--json");
            JsonNode run = runs.json().get(0);
            assertThat(run.get("status").asText()).isEqualTo("CANCELLED");
            Cli.Result show = new Cli(dataDir).run("show", run.get("id").asText(), "--json");
            for (String step : List.of("first", "side", "second")) {
                assertThat(show.step(step).get("status").asText()).as(step + " in " + show.out()).isEqualTo("CANCELLED");
            }
            assertThat(show.step("first").get("attempts")).as("no retry after the interrupt").hasSize(1);
        } finally {
            sluice.destroyForcibly();
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
