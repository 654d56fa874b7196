package dev.sluice.worker.exec;

import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import dev.sluice.worker.protocol.TaskResult.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Timeouts, cancels and leftovers: no process of a step outlives it. */
class ProcessTreeKillTest extends ExecutorTestBase {

    /** A child that ignores TERM and starts a grandchild that ignores it too (SIG_IGN is inherited). */
    private static final String STUBBORN_CHILD =
            "sh -c 'trap \"\" TERM; echo $$ > child.pid; sleep 1000 & echo $! > grandchild.pid; wait' & wait";

    @Test
    void timeoutKillsTheShellAndAGrandchildThatTrapsTerm() throws Exception {
        CompletableFuture<TaskResult> future = start(request(STUBBORN_CHILD, Map.of(), List.of(), List.of(), Duration.ofSeconds(2)));

        await().until(() -> Files.exists(workdir.resolve("grandchild.pid")) && Files.size(workdir.resolve("grandchild.pid")) > 0);
        long child = readPid("child.pid");
        long grandchild = readPid("grandchild.pid");
        TaskResult result = resultOf(future);

        assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(result.exitCode()).isNull();
        assertThat(result.error()).isEqualTo("timed out after 2s");
        assertThat(sink.texts('S')).contains("timeout after 2s: killing process tree");
        await().until(() -> !alive(child) && !alive(grandchild));
        await().until(() -> executor.running() == 0);
    }

    @Test
    void cancelKillsTheTreeIncludingAProcessThatLeftTheSession() throws Exception {
        CompletableFuture<TaskResult> future = start(request(
                "setsid sh -c 'trap \"\" TERM; echo $$ > escaped.pid; exec sleep 1000' & " + STUBBORN_CHILD));
        AttemptKey key = new AttemptKey("run-1", "step", 1);

        await().until(() -> Files.exists(workdir.resolve("escaped.pid")) && Files.size(workdir.resolve("escaped.pid")) > 0
                && Files.exists(workdir.resolve("grandchild.pid")) && Files.size(workdir.resolve("grandchild.pid")) > 0);
        long escaped = readPid("escaped.pid");
        long grandchild = readPid("grandchild.pid");
        assertThat(executor.running()).isEqualTo(1);
        assertThat(executor.cancel(key)).isTrue();
        assertThat(executor.cancel(key)).isFalse();
        TaskResult result = resultOf(future);

        assertThat(result.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(result.exitCode()).isNull();
        assertThat(result.error()).isEqualTo("cancelled");
        assertThat(sink.texts('S')).contains("cancelled: killing process tree");
        await().until(() -> !alive(escaped) && !alive(grandchild));
        assertThat(executor.cancel(key)).isFalse();
    }

    @Test
    void cancelOfAnUnknownAttemptReturnsFalse() {
        assertThat(executor.cancel(new AttemptKey("nope", "step", 1))).isFalse();
    }

    @Test
    void killsBackgroundProcessesLeftRunningAfterANormalExit() throws Exception {
        TaskResult result = run("sleep 1000 > /dev/null 2>&1 & echo $! > quiet.pid; "
                + "sh -c 'trap \"\" TERM; touch trapped; exec sleep 1000' & echo $! > loud.pid; "
                + "until [ -f trapped ]; do sleep 0.01; done; echo done");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.exitCode()).isZero();
        assertThat(sink.texts('O')).containsExactly("done");
        assertThat(sink.texts('S')).anyMatch(s -> s.startsWith("the step left ") && s.endsWith("process(es) running: killing them"));
        long quiet = readPid("quiet.pid");
        long loud = readPid("loud.pid");
        await().until(() -> !alive(quiet) && !alive(loud));
    }

    @Test
    void timesOutAStepThatOnlySleeps() {
        TaskResult result = run(request("exec sleep 1000", Map.of(), List.of(), List.of(), Duration.ofMillis(300)));

        assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(result.error()).isEqualTo("timed out after 300ms");
    }

    @Test
    void closeCancelsWhatIsStillRunning() throws Exception {
        CompletableFuture<TaskResult> future = start(request("echo $$ > shell.pid; sleep 1000"));
        await().until(() -> Files.exists(workdir.resolve("shell.pid")) && Files.size(workdir.resolve("shell.pid")) > 0);
        long shell = readPid("shell.pid");

        executor.close();

        assertThat(future).isCompleted();
        assertThat(future.join().outcome()).isEqualTo(Outcome.CANCELLED);
        await().until(() -> !alive(shell));
    }

    @Test
    void keepsTheOutputsOfAKilledAttempt() {
        TaskRequest request = request("echo partial > \"$SLUICE_OUTPUTS/part.txt\"; exec sleep 1000",
                Map.of(), List.of("model.json"), List.of(), Duration.ofMillis(500));

        TaskResult result = run(request);

        assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(result.outputs()).extracting(a -> a.path()).containsExactly("part.txt");
    }

    /** A terminal's Ctrl-C reaches the step (it shares the JVM's process group) just before the cancel it brings. */
    @Test
    void aStepEndedBySigintIsCancelledWhenTheCancelFollows() throws Exception {
        CompletableFuture<TaskResult> future = start(request("echo $$ > shell.pid; sleep 1000 & kill -INT $$; wait"));
        await().until(() -> Files.exists(workdir.resolve("shell.pid")) && Files.size(workdir.resolve("shell.pid")) > 0);
        long shell = readPid("shell.pid");
        await().until(() -> !alive(shell));

        assertThat(executor.cancel(new AttemptKey("run-1", "step", 1))).isTrue();

        TaskResult result = resultOf(future);
        assertThat(result.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(result.exitCode()).isNull();
        assertThat(result.error()).isEqualTo("cancelled");
    }

    @Test
    void aStepThatExitsWithAnInterruptsStatusAndNoCancelFails() {
        TaskResult result = run("exit 130");

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.exitCode()).isEqualTo(130);
        assertThat(result.error()).isEqualTo("exit code 130");
    }
}
