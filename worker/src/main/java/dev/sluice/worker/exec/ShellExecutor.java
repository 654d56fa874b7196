package dev.sluice.worker.exec;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Commons Exec executor for one attempt: runs {@code /bin/sh -c <command>}, reports the started
 * {@link Process} (for its pid) and never treats an exit code as an exception.
 *
 * <p>The shell is the JVM's own child, in the JVM's session and process group: no {@code setsid}
 * exec per step (it cost as much as the shell's own start). Its processes are found by their
 * {@link Cookie} and the attempt's cgroup instead ({@link ProcessTree}); a terminal's Ctrl-C reaches
 * them as it reaches the JVM (see {@link Attempt} for how that still ends as a cancel).
 */
final class ShellExecutor extends DefaultExecutor {

    static final String SHELL = "/bin/sh";

    private final Consumer<Process> started;

    /** @param started called on the launching thread as soon as the process exists */
    ShellExecutor(Consumer<Process> started) {
        this.started = started;
        setExitValues(null);
    }

    /** {@code /bin/sh -c command}. */
    static CommandLine commandLine(String command) {
        return new CommandLine(SHELL).addArgument("-c", false).addArgument(command, false);
    }

    @Override
    protected Process launch(CommandLine command, Map<String, String> env, Path workingDirectory) throws IOException {
        Process process = super.launch(command, env, workingDirectory);
        started.accept(process);
        return process;
    }
}
