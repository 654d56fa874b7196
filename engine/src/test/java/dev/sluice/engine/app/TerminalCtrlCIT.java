package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user presses Ctrl-C in the terminal where {@code scripts/sluice run} runs. Steps share the JVM's
 * process group (no session per step), so the launcher gives the JVM a session of its own in a
 * terminal and passes the signal on: the run ends CANCELLED with exit 130, no step is retried,
 * and no step process is left.
 *
 * <p>An IT (run by {@code mvn verify}, after {@code package}): it drives the real launcher on the
 * packaged jar, in a pseudo-terminal made by Python's {@code pty} (the Python 3 standard library).
 */
class TerminalCtrlCIT {

    private static final Path LAUNCHER = Path.of("..", "scripts", "sluice").toAbsolutePath().normalize();

    @Test
    void ctrlCInTheTerminalCancelsTheRunAndLeavesNoStep(@TempDir Path scratch) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is needed for a pseudo-terminal");
        Path data = scratch.resolve("data");
        Path output = scratch.resolve("terminal.txt");
        ProcessBuilder terminal = new ProcessBuilder("/usr/bin/python3", Cli.fixture("ctrl_c_in_a_terminal.py").toString(),
                "0/2", LAUNCHER.toString(), "run", Cli.fixture("ctrl-c.yaml").toString(), "--data-dir", data.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        terminal.environment().put("SLUICE_NO_CDS", "1"); // no class-data archive made by this test
        terminal.environment().put("TERM", "xterm");
        Process p = terminal.start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("sluice run ends after Ctrl-C").isTrue();
        String seen = Files.readString(output, StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(seen).isEqualTo(130);
        assertThat(seen).contains("cancelling run").contains("CANCELLED").doesNotContain("FAILED");

        String show = new Cli(data).run("runs").out();
        assertThat(show).as(show).contains("CANCELLED").doesNotContain("SUCCEEDED").doesNotContain("FAILED");
        assertThat(ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").contains("31.4159"))
                .filter(ProcessHandle::isAlive)
                .count()).as("step processes left").isZero();
    }
}
