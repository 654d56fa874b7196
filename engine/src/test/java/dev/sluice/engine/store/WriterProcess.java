package dev.sluice.engine.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The test's handle on a {@link StoreWriterProcess}: start it, follow its acks, kill it with SIGKILL. */
final class WriterProcess implements AutoCloseable {

    private static final long LINE_TIMEOUT_SECONDS = 30;

    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private int lastAck;
    private final int firstBatch;

    private WriterProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread pump = new Thread(this::pump, "writer-stdout");
        pump.setDaemon(true);
        pump.start();
        String ready = nextLine();
        if (!ready.startsWith("READY ")) {
            throw new IllegalStateException("writer said '" + ready + "' instead of READY; " + stderrTail());
        }
        this.firstBatch = Integer.parseInt(ready.substring(6));
        this.lastAck = firstBatch - 1;
    }

    /** Starts a writer on the folder, with the same classpath as this JVM; extra args go to its main. */
    static WriterProcess start(Path dataDir, Path logDir, String... extra) throws IOException {
        return start(List.of(), dataDir, logDir, extra);
    }

    /** As above, with options for the writer's JVM (system properties). */
    static WriterProcess start(List<String> jvmOptions, Path dataDir, Path logDir, String... extra) throws IOException {
        Path stderr = Files.createTempFile(logDir, "writer-", ".stderr");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                StoreWriterProcess.class.getName(), dataDir.toString()));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
                .start();
        return new WriterProcess(process, stderr);
    }

    int firstBatch() {
        return firstBatch;
    }

    /** Waits until batch n was acknowledged; returns the highest batch acknowledged so far. */
    int awaitAck(int n) {
        while (lastAck < n) {
            String line = nextLine();
            if (!line.startsWith("ACK ")) {
                throw new IllegalStateException("writer said '" + line + "'; " + stderrTail());
            }
            lastAck = Integer.parseInt(line.substring(4));
        }
        return lastAck;
    }

    int lastAck() {
        return lastAck;
    }

    /** SIGKILL (what {@link Process#destroyForcibly} sends on Linux), then wait for the end. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // killed
        }
        lines.add("<exited>");
    }

    private String nextLine() {
        try {
            String line = lines.poll(LINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException("writer silent for " + LINE_TIMEOUT_SECONDS + " s; " + stderrTail());
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String stderrTail() {
        try {
            // the messages of the exception and its causes, without their stack frames
            List<String> all = Files.readAllLines(stderr).stream().filter(l -> !l.startsWith("\t")).toList();
            return "its stderr ends: " + String.join(" | ", all.subList(Math.max(0, all.size() - 5), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
