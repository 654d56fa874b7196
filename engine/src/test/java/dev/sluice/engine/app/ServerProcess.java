package dev.sluice.engine.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code sluice server --port 0} in its own JVM, as a user starts it, over a fresh data dir and a
 * pipelines folder; its URL is the first line it prints.
 */
final class ServerProcess implements AutoCloseable {

    final String url;
    final Path log;
    private final Process process;

    ServerProcess(Path root, Path pipelines) throws Exception {
        this(root, pipelines, List.of());
    }

    /** With more options; a second server on the same root reuses its data dir (a restart). */
    ServerProcess(Path root, Path pipelines, List<String> extra) throws Exception {
        log = root.resolve("server.log");
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--port", "0", "--data-dir", root.resolve("data").toString(), "--pipelines", pipelines.toString(),
                // the client commands are under test here, not the cluster: a quicker start
                "--slots", "2", "--no-cluster"));
        cmd.addAll(extra);
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        if (first == null || !first.startsWith("http://")) {
            close();
            throw new IllegalStateException("the server did not start: " + first + "\n" + Files.readString(log));
        }
        url = first.endsWith("/") ? first.substring(0, first.length() - 1) : first;
    }

    /** {@code kill -9}: nothing of the server gets to run. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
