package dev.sluice.worker.exec;

import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.TaskResult;
import dev.sluice.worker.protocol.TaskResult.Outcome;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Processes that leave the attempt's session ({@code setsid}) or its tree (double fork) are found by
 * the attempt's cookie in {@code /proc/<pid>/environ} and ended at the step's end, at a timeout and
 * at a cancel; orphans of a JVM that no longer runs are killed when an executor starts. Each test
 * checks through {@code /proc} that no process carrying the attempt's cookie survives.
 */
class ContainmentTest extends ExecutorTestBase {

    /** Both escapes, each writing its pid; the escaped ones ignore TERM. */
    private static final String ESCAPES = "echo \"$SLUICE_ATTEMPT_COOKIE\" > cookie; "
            + "setsid sh -c 'trap \"\" TERM; echo $$ > setsid.pid; exec sleep 1000' & "
            + "(sh -c 'trap \"\" TERM; echo $$ > forked.pid; exec sleep 1000' &) & ";

    @Test
    void aSetsidEscapeIsKilledAtTheStepsEnd() throws Exception {
        TaskResult result = run("echo \"$SLUICE_ATTEMPT_COOKIE\" > cookie; setsid sleep 1000 & echo escaped");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(sink.texts('O')).containsExactly("escaped");
        assertNoneCarries(cookie());
    }

    @Test
    void aDoubleForkEscapeIsKilledAtTheStepsEnd() throws Exception {
        TaskResult result = run("echo \"$SLUICE_ATTEMPT_COOKIE\" > cookie; (setsid sleep 1000 &) & "
                + "(sh -c 'echo $$ > forked.pid; exec sleep 1000' &) & "
                + "until [ -s forked.pid ]; do sleep 0.01; done; echo escaped");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(sink.texts('S')).anyMatch(s -> s.startsWith("the step left "));
        long forked = readPid("forked.pid");
        await().until(() -> !alive(forked));
        assertNoneCarries(cookie());
    }

    @Test
    void escapesThatIgnoreTermAreKilledAtATimeout() throws Exception {
        TaskResult result = run(request(ESCAPES + "sleep 1000", Map.of(), List.of(), List.of(), Duration.ofSeconds(2)));

        assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
        long setsid = readPid("setsid.pid");
        long forked = readPid("forked.pid");
        await().until(() -> !alive(setsid) && !alive(forked));
        assertNoneCarries(cookie());
    }

    @Test
    void escapesThatIgnoreTermAreKilledAtACancel() throws Exception {
        CompletableFuture<TaskResult> future = start(request(ESCAPES + "sleep 1000"));
        await().until(() -> hasPid("setsid.pid") && hasPid("forked.pid"));
        long setsid = readPid("setsid.pid");
        long forked = readPid("forked.pid");

        assertThat(executor.cancel(new AttemptKey("run-1", "step", 1))).isTrue();

        assertThat(resultOf(future).outcome()).isEqualTo(Outcome.CANCELLED);
        await().until(() -> !alive(setsid) && !alive(forked));
        assertNoneCarries(cookie());
    }

    @Test
    void aStepsProcessesAreInTheAttemptsCgroupWhereThereIsOne() {
        assumeTrue(executor.usesCgroups(), "this machine gives Sluice no cgroup v2");

        run("cat /proc/self/cgroup");

        assertThat(sink.texts('O')).anyMatch(l -> l.startsWith("0::/") && l.contains("/sluice-" + ProcessHandle.current().pid() + "-"));
    }

    @Test
    void anEscapeThatClearsItsEnvironmentIsKilledThroughTheCgroup() throws Exception {
        assumeTrue(executor.usesCgroups(), "this machine gives Sluice no cgroup v2: only the cookie finds processes");

        TaskResult result = run("env -i setsid sh -c 'echo $$ > clean.pid; exec sleep 1000' & "
                + "until [ -s clean.pid ]; do sleep 0.01; done; echo escaped");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        long clean = readPid("clean.pid");
        await().until(() -> !alive(clean));
    }

    @Test
    void eachAttemptHasItsOwnCookie() throws Exception {
        run("echo \"$SLUICE_ATTEMPT_COOKIE\" > first");
        run("echo \"$SLUICE_ATTEMPT_COOKIE\" > second");

        String first = Files.readString(workdir.resolve("first")).trim();
        String second = Files.readString(workdir.resolve("second")).trim();
        assertThat(first).startsWith(ProcessHandle.current().pid() + "-").isNotEqualTo(second);
        assertThat(first.substring(0, first.lastIndexOf('.'))).isEqualTo(second.substring(0, second.lastIndexOf('.')));
    }

    @Test
    void orphansOfAJvmThatNoLongerRunsAreKilledWhenAnExecutorStarts() throws Exception {
        // pid 2^22 + 1 is above any pid_max: its owner never runs
        String cookie = (4_194_305) + "-12345.7";
        Process orphan = new ProcessBuilder("sleep", "1000").redirectErrorStream(true).start();
        ProcessBuilder tagged = new ProcessBuilder("sh", "-c", "exec sleep 1000");
        tagged.environment().put(Cookie.VARIABLE, cookie);
        Process p = tagged.start();
        ProcessBuilder alive = new ProcessBuilder("sleep", "1000");
        alive.environment().put(Cookie.VARIABLE, ProcessHandle.current().pid() + "-"
                + Cookie.startTicks(Path.of("/proc"), ProcessHandle.current().pid()).orElseThrow() + ".99");
        Process live = alive.start();
        try {
            try (LocalExecutor another = new LocalExecutor(store, temp.resolve("another"), "another", GRACE)) {
                await().until(() -> !p.isAlive());
            }
            assertThat(live.isAlive()).as("a live JVM's step is not an orphan").isTrue();
            assertThat(orphan.isAlive()).as("a process without a cookie is not a step").isTrue();
        } finally {
            orphan.destroyForcibly();
            live.destroyForcibly();
            p.destroyForcibly();
        }
    }

    @Test
    void aCgroupLeftByAJvmThatNoLongerRunsIsEmptiedAndRemovedWhenAnExecutorStarts() throws Exception {
        assumeTrue(executor.usesCgroups(), "this machine gives Sluice no cgroup v2");
        Path dead = Cgroups.ownCgroup(Path.of("/proc")).orElseThrow().resolve("sluice-4194305-12345.0ff");
        Path leaf = Files.createDirectories(dead.resolve("1"));
        Process p = new ProcessBuilder("sh", "-c", "echo $$ > " + leaf.resolve("cgroup.procs") + "; exec env -i sleep 1000").start();
        try {
            await().until(() -> Files.readString(leaf.resolve("cgroup.procs")).trim().equals(Long.toString(p.pid())));

            new LocalExecutor(store, temp.resolve("another"), "another", GRACE).close();

            await().until(() -> !p.isAlive());
            await().until(() -> !Files.exists(dead));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void nothingStartsWhileTheLeaseIsNotHeld() throws Exception {
        executor.close();
        executor = new LocalExecutor(store, workRoot, "test-worker", GRACE, () -> false);

        TaskResult result = run("touch ran");

        assertThat(result.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(sink.texts('S')).contains("the worker lost its lease with the engine: not running the step");
        assertThat(workdir.resolve("ran")).doesNotExist();
    }

    private boolean hasPid(String file) throws IOException {
        Path f = workdir.resolve(file);
        return Files.exists(f) && !Files.readString(f).isBlank();
    }

    private String cookie() throws IOException {
        String c = Files.readString(workdir.resolve("cookie")).trim();
        assertThat(c).isNotEmpty();
        return c;
    }

    /** Waits until no process of this machine carries {@code cookie} in its environment. */
    static void assertNoneCarries(String cookie) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(carriers(cookie)).isEmpty());
    }

    /** The live processes whose environment holds {@code SLUICE_ATTEMPT_COOKIE=cookie} (zombies have none). */
    static List<Long> carriers(String cookie) throws IOException {
        byte[] needle = Cookie.needle(cookie);
        List<Long> found = new ArrayList<>();
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            for (Path p : all.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (Cookie.contains(Files.readAllBytes(p.resolve("environ")), needle)) {
                        found.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        return found;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
