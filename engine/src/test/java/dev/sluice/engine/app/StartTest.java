package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the short commands load, and what they do not, in a JVM of their own as a user starts them:
 * a command pays at start for every library it touches, so {@code validate} touches no database,
 * HTTP server or cluster, and {@code runs} on a current store never starts Flyway.
 */
class StartTest {

    @TempDir
    Path dir;

    @Test
    void validateLoadsNoDatabaseHttpServerClusterOrLoggingClasses() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.yaml"), "name: plain\nsteps:\n  - {id: a, run: \"true\"}\n"
                + "  - {id: b, run: \"true\", needs: [a]}\n");

        Child child = sluice(Map.of(), "validate", plain.toString());
        Child withExpressions = sluice(Map.of(), "validate", Cli.fixture("flow.yaml").toString());

        assertThat(child.exit).as(child.output).isZero();
        assertThat(child.loaded("org.h2.", "com.zaxxer.", "org.flywaydb.", "io.vertx.", "io.netty.",
                "com.hazelcast.", "dev.cel.", "ch.qos.logback.")).isEmpty();
        // CEL checks expressions, when there are some
        assertThat(withExpressions.exit).as(withExpressions.output).isZero();
        assertThat(withExpressions.loaded("org.h2.", "com.zaxxer.", "org.flywaydb.", "io.vertx.", "io.netty.",
                "com.hazelcast.", "ch.qos.logback.")).isEmpty();
    }

    @Test
    void listingRunsOfACurrentStoreLoadsNeitherFlywayNorVertx() throws Exception {
        Path data = dir.resolve("data");
        assertThat(sluice(Map.of(), "run", Cli.fixture("flow.yaml").toString(), "--data-dir", data.toString()).exit)
                .isZero(); // creates and migrates the store

        Child runs = sluice(Map.of(), "runs", "--data-dir", data.toString());

        assertThat(runs.exit).as(runs.output).isZero();
        assertThat(runs.output).contains("flow").contains("SUCCEEDED");
        // FlywayException is named by Migrations' catch: loading it costs nothing, Flyway itself is not started
        assertThat(runs.loaded("org.flywaydb.")).containsOnly("org.flywaydb.core.api.FlywayException");
        assertThat(runs.loaded("io.vertx.", "io.netty.", "com.hazelcast.", "dev.cel.")).isEmpty();
    }

    @Test
    void logsOfSluiceStayQuietUnlessSluiceLogLevelAsks() throws Exception {
        Path data = dir.resolve("data");
        String pipeline = Cli.fixture("flow.yaml").toString();

        Child quiet = sluice(Map.of(), "run", pipeline, "--data-dir", data.toString());
        Child told = sluice(Map.of("SLUICE_LOG_LEVEL", "info"), "run", pipeline, "--data-dir", data.toString());

        assertThat(quiet.exit).isZero();
        assertThat(quiet.output).doesNotContain(" INFO ");
        assertThat(told.exit).isZero();
        assertThat(told.output).containsPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  Scheduler \\[pipeline flow\\] \\[run \\S+\\] SUCCEEDED");
    }

    @Test
    void helpStillListsEveryCommandAndATypoGetsASuggestion() {
        Cli cli = new Cli(dir);

        Cli.Result help = cli.run("--help");
        Cli.Result typo = cli.run("runz");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains(Main.SUBCOMMANDS.stream().map(c -> "  " + c + " ").toList());
        assertThat(typo.exitCode()).isEqualTo(Main.INVALID);
        assertThat(typo.err()).contains("Unmatched argument at index 0: 'runz'").contains("runs");
    }

    @Test
    void theClassDataWarmUpRunsEveryShortCommandAndLeavesNothingBehind() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));

        Child warm = sluice(Map.of(), "-Djava.io.tmpdir=" + tmp, CdsWarmUp.OPTION);

        assertThat(warm.exit).as(warm.output).isZero();
        assertThat(warm.loaded("dev.sluice.engine.app.")).contains("dev.sluice.engine.app.ValidateCommand",
                "dev.sluice.engine.app.RunCommand", "dev.sluice.engine.app.RunsCommand",
                "dev.sluice.engine.app.ShowCommand", "dev.sluice.engine.app.LogsCommand");
        assertThat(warm.loaded("org.eclipse.jgit.")).isNotEmpty(); // a run reads its pipeline's git commit
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    /** A command's exit code, stdout and stderr, and the classes its JVM loaded. */
    private record Child(int exit, String output, List<String> classes) {
        List<String> loaded(String... prefixes) {
            return classes.stream().filter(c -> Stream.of(prefixes).anyMatch(c::startsWith)).toList();
        }
    }

    /** Runs {@code sluice args} in a JVM of its own; arguments starting with -D go to the JVM. */
    private Child sluice(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path classLog = Files.createTempFile(dir, "classes", ".log");
        Path output = Files.createTempFile(dir, "output", ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xlog:class+load=info:file=" + classLog));
        Stream.of(args).filter(a -> a.startsWith("-D")).forEach(cmd::add);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        Stream.of(args).filter(a -> !a.startsWith("-D")).forEach(cmd::add);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().remove("SLUICE_LOG_LEVEL");
        pb.environment().remove("SLUICE_SERVER");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(50, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("sluice " + String.join(" ", args) + " did not end: " + Files.readString(output));
        }
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(classLog, StandardCharsets.UTF_8)) {
            // [0.123s][info][class,load] org.h2.Driver source: ...
            int at = line.indexOf("] ", line.indexOf("class,load"));
            if (at > 0) classes.add(line.substring(at + 2).split(" ", 2)[0]);
        }
        return new Child(p.exitValue(), Files.readString(output), classes);
    }
}
