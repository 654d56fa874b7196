package dev.sluice.engine.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the command line in this JVM against a data dir, capturing what it prints. */
final class Cli {

    record Result(int exitCode, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        JsonNode step(String id) {
            for (JsonNode s : json().get("steps")) if (s.get("id").asText().equals(id)) return s;
            throw new AssertionError("no step " + id + " in " + out);
        }
    }

    private final Path dataDir;

    Cli(Path dataDir) {
        this.dataDir = dataDir;
    }

    Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.isEmpty() && List.of("run", "runs", "show", "logs", "models", "rerun", "diff", "lineage").contains(all.get(0)) && !all.contains("--server")) {
            all.add("--data-dir");
            all.add(dataDir.toString());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    static Path fixture(String name) {
        try {
            return Path.of(Cli.class.getResource("/dev/sluice/engine/app/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts {@code sluice run long.yaml} in a separate JVM, as a user would in a terminal; its
     * first step writes its pid to {@code marker} once it runs.
     */
    static Process startLongRun(Path dataDir, Path marker, Path log, String... jvmOptions) throws java.io.IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", fixture("long.yaml").toString(), "--param", "marker=" + marker,
                "--data-dir", dataDir.toString(), "--slots", "2"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The repository's example pipelines folder (tests run with the module as working dir). */
    static Path examples() {
        return Path.of("..", "pipelines").toAbsolutePath().normalize();
    }
}
