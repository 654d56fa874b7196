package dev.sluice.worker.exec;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A Commons Exec executor for one attempt: runs {@code [setsid] /bin/sh -c <command>}, reports the
 * started {@link Process} (for its pid) and never treats an exit code as an exception.
 *
 * <p>{@code setsid} execs the shell in place (the JVM's child is never a group leader, so it does not
 * fork): the shell keeps the pid Java knows, and that pid is the id of the attempt's new session and
 * process group.
 */
final class SessionExecutor extends DefaultExecutor {

    private static final Path[] SETSID = {Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")};
    static final String SHELL = "/bin/sh";

    private final Consumer<Process> started;

    /** @param started called on the launching thread as soon as the process exists */
    SessionExecutor(Consumer<Process> started) {
        this.started = started;
        setExitValues(null);
    }

    /** The {@code setsid} program of this machine, if any. */
    static Optional<Path> findSetsid() {
        for (Path p : SETSID) {
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** {@code setsid /bin/sh -c command}, or only the shell when there is no setsid. */
    static CommandLine commandLine(Optional<Path> setsid, String command) {
        CommandLine line;
        if (setsid.isPresent()) {
            line = new CommandLine(setsid.get().toString()).addArgument(SHELL, false);
        } else {
            line = new CommandLine(SHELL);
        }
        return line.addArgument("-c", false).addArgument(command, false);
    }

    @Override
    protected Process launch(CommandLine command, Map<String, String> env, Path workingDirectory) throws IOException {
        Process process = super.launch(command, env, workingDirectory);
        started.accept(process);
        return process;
    }
}
