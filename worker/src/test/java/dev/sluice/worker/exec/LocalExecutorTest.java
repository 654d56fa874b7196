package dev.sluice.worker.exec;

import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.LogLine;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import dev.sluice.worker.protocol.TaskResult.Outcome;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LocalExecutorTest extends ExecutorTestBase {

    @Test
    void capturesStdoutAndStderrLineByLineInOrder() {
        TaskResult result = run("i=1; while [ $i -le 300 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.exitCode()).isZero();
        assertThat(result.error()).isNull();
        assertThat(sink.texts('O')).containsExactlyElementsOf(IntStream.rangeClosed(1, 300).mapToObj(i -> "out" + i).toList());
        assertThat(sink.texts('E')).containsExactlyElementsOf(IntStream.rangeClosed(1, 300).mapToObj(i -> "err" + i).toList());
    }

    @Test
    void keepsALastLineWithoutNewlineAndStripsCarriageReturns() {
        run("printf 'a\\r\\nb\\n\\nlast'");

        assertThat(sink.texts('O')).containsExactly("a", "b", "", "last");
    }

    @Test
    void passesTheCommandToTheShellUntouched() {
        run("printf '%s|' \"a  b\" '$HOME' \"${UNSET_VAR:-dflt}\" 'x\"y'; echo");

        assertThat(sink.texts('O')).containsExactly("a  b|$HOME|dflt|x\"y|");
    }

    @Test
    void givesTheStepTheWorkerEnvTheRequestEnvAndItsFolders() {
        TaskRequest request = request("echo \"foo=$FOO\"; echo \"path=${PATH:+set}\"; echo \"$SLUICE_OUTPUTS\"; echo \"$SLUICE_INPUTS\";"
                        + " echo \"$SLUICE_METRICS\"; test -d \"$SLUICE_OUTPUTS\" && test -d \"$SLUICE_INPUTS\" && echo folders; pwd",
                Map.of("FOO", "bar baz"), List.of(), List.of(), null);

        TaskResult result = run(request);

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        List<String> out = sink.texts('O');
        String attemptDir = Path.of(out.get(2)).getParent().toString();
        assertThat(attemptDir).startsWith(workRoot.toString());
        assertThat(out).containsExactly("foo=bar baz", "path=set", attemptDir + "/outputs", attemptDir + "/inputs",
                attemptDir + "/metrics", "folders", workdir.toString());
    }

    @Test
    void reportsANonZeroExitCode() {
        TaskResult result = run("echo before; exit 3");

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.error()).isEqualTo("exit code 3");
        assertThat(result.key()).isEqualTo(new AttemptKey("run-1", "step", 1));
        assertThat(result.worker()).isEqualTo("test-worker");
        assertThat(result.startedAt()).isBeforeOrEqualTo(result.endedAt());
    }

    @Test
    void failsWithoutExceptionWhenTheWorkdirIsMissing() {
        TaskRequest request = new TaskRequest(new AttemptKey("run-1", "step", 1), "true",
                workdir.resolve("nope").toString(), Map.of(), List.of(), List.of(), null, 0);

        TaskResult result = run(request);

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.exitCode()).isNull();
        assertThat(result.error()).isEqualTo("workdir does not exist: " + workdir.resolve("nope"));
    }

    @Test
    void reportsAFailureToStartAsAResult() {
        TaskResult result = run("echo a\0b");

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.exitCode()).isNull();
        assertThat(result.error()).isEqualTo("failed to start: invalid null character in command");
    }

    @Test
    void masksSecretValuesInEveryStream() {
        TaskRequest request = request("echo \"token $API_TOKEN and $DB_PASSWORD\"; echo \"key=$my_key\" >&2; echo \"short $SHORT_SECRET\"",
                Map.of("API_TOKEN", "tok-12345", "DB_PASSWORD", "hunter22", "my_key", "k3y!", "SHORT_SECRET", "abc"),
                List.of(), List.of(), null);

        run(request);

        assertThat(sink.texts('O')).containsExactly("token *** and ***", "short abc");
        assertThat(sink.texts('E')).containsExactly("key=***");
    }

    @Test
    void truncatesTheLogAtTheCapAndKeepsDrainingTheProcess() {
        TaskRequest request = new TaskRequest(new AttemptKey("run-1", "step", 1),
                "yes 'a fairly long line of output' | head -n 200000; echo end >&2; exit 4", workdir.toString(),
                Map.of(), List.of(), List.of(), null, 1000);

        TaskResult result = run(request);

        assertThat(result.exitCode()).isEqualTo(4);
        long bytes = sink.lines().stream().filter(l -> l.stream() != 'S').mapToLong(l -> l.text().length() + 1).sum();
        assertThat(bytes).isLessThanOrEqualTo(1000);
        assertThat(sink.texts('O')).isNotEmpty();
        assertThat(sink.texts('E')).doesNotContain("end");
        assertThat(sink.texts('S')).containsOnlyOnce("log truncated after 1000 bytes");
    }

    @Test
    void splitsOverlongLines() {
        run("head -c 150000 /dev/zero | tr '\\0' x; echo");

        assertThat(sink.texts('O')).extracting(String::length).containsExactly(65536, 65536, 150000 - 2 * 65536);
    }

    @Test
    void deletesTheFolderOfAStepThatWroteInItOnceTheResultIsBuilt() {
        TaskResult result = run("echo \"$SLUICE_OUTPUTS\"; echo x > \"$SLUICE_OUTPUTS/a\"; mkdir \"$SLUICE_OUTPUTS/ro\";"
                + " chmod 500 \"$SLUICE_OUTPUTS/ro\"");

        assertThat(result.outputs()).hasSize(1);
        Path folder = Path.of(sink.texts('O').get(0)).getParent();
        await().until(() -> !Files.exists(folder));
    }

    @Test
    void stampsEachSeriesValueWithWhenItsLineWasSeenWhileTheStepRan() {
        // the second value is written once the first was seen (the worker looks every second): its time is later
        TaskResult r = run("echo loss 0.9 >> \"$SLUICE_METRICS\"; sleep 2.5; echo loss 0.5 >> \"$SLUICE_METRICS\"");

        assertThat(r.metrics()).containsEntry("loss", 0.5);
        assertThat(r.series()).hasSize(2);
        assertThat(r.series().get(0).at()).isBefore(r.series().get(1).at());
        assertThat(r.series()).extracting(dev.sluice.worker.protocol.MetricPoint::step).containsExactly(0L, 1L);
    }

    @Test
    void givesEachAttemptAnEmptyFolderOfItsOwnAndNeverALeftOver() {
        String look = "echo \"$SLUICE_OUTPUTS\"; ls -A \"$SLUICE_OUTPUTS\"; ls -A \"$SLUICE_INPUTS\"; test -e \"$SLUICE_METRICS\" && echo metrics; ";
        run(look);
        await().until(() -> executor.running() == 0); // the folder is given back
        run(look + "echo auc 0.9 >> \"$SLUICE_METRICS\"");
        await().until(() -> executor.running() == 0);
        run(look + "touch \"$SLUICE_OUTPUTS/model\"");
        await().until(() -> executor.running() == 0);
        run(look);

        List<String> out = sink.texts('O');
        assertThat(out).hasSize(4).doesNotHaveDuplicates(); // each saw only its own folder's path: no file, no metrics of another
        for (String outputs : out.subList(0, 3)) assertThat(Path.of(outputs).getParent()).doesNotExist();
    }

    @Test
    void leavesNothingInTheWorkRootWhenClosed() throws IOException {
        run("true");
        executor.close();

        try (var left = Files.list(workRoot)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void joinsTheRunningAttemptWhenTheSameAttemptIsStartedTwice() throws Exception {
        RecordingSink other = new RecordingSink();
        TaskRequest request = request("until [ -f go ]; do sleep 0.01; done; echo once");
        CompletableFuture<TaskResult> first = start(request);
        CompletableFuture<TaskResult> second = executor.start(request, other);
        assertThat(executor.running()).isEqualTo(1);
        Files.writeString(workdir.resolve("go"), "");

        assertThat(resultOf(first).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(resultOf(second)).isEqualTo(resultOf(first));
        assertThat(sink.texts('O')).containsExactly("once");
        assertThat(other.lines()).isEmpty();
        await().until(() -> executor.running() == 0);
    }

    @Test
    void refusesToStartOnceClosed() {
        executor.close();

        assertThatThrownBy(() -> start(request("true"))).isInstanceOf(IllegalStateException.class).hasMessage("executor closed");
    }

    @Test
    void logLinesCarryTheirStreamAndTime() {
        run("echo hi; echo ho >&2");

        assertThat(sink.lines()).extracting(LogLine::stream).containsOnly('O', 'E');
        assertThat(sink.lines()).allSatisfy(l -> assertThat(l.at()).isNotNull());
    }
}
