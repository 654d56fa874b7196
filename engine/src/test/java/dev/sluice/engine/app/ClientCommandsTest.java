package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** trigger, runs and logs against a real `sluice server`. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientCommandsTest {

    Path root;
    ServerProcess server;
    Cli cli;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        this.root = root;
        server = new ServerProcess(root, Cli.fixture("remote"));
        cli = new Cli(root.resolve("unused-local-data"));
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) server.close();
    }

    @Test
    void triggerWaitFollowsARunToItsEndAndPrintsTheSummary() {
        Cli.Result r = cli.run("trigger", "three", "--param", "count=5", "--wait", "--server", server.url);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("three v1, 3 steps, on " + server.url)
                .containsPattern("\\[\\d/3\\]\\s+fetch\\s+started")
                .containsPattern("\\[3/3\\]\\s+report\\s+SUCCEEDED");
        assertThat(r.out()).containsPattern("run \\S+  three v1  SUCCEEDED").contains("params: count=5").contains("train");
        String id = r.out().split("\\s+")[1];
        Cli.Result log = cli.run("logs", id, "train", "--server", server.url);
        assertThat(log.exitCode()).isZero();
        assertThat(log.out()).contains("count+1=6"); // "5" went as text and the server read it as an integer
    }

    @Test
    void triggerWaitExitsOneWhenTheRunFailsAndShowsWhy() {
        Cli.Result r = cli.run("trigger", "broken", "--wait", "--server", server.url);

        assertThat(r.exitCode()).as(r.err()).isEqualTo(Main.FAILED);
        assertThat(r.err()).containsPattern("fail\\s+FAILED");
        assertThat(r.out()).contains("FAILED").contains("fail failed (attempt 1)").contains("something went wrong");
    }

    @Test
    void triggerWithoutWaitPrintsTheRunIdThatRunsThenLists() {
        Cli.Result r = cli.run("trigger", "three", "--server", server.url);

        assertThat(r.exitCode()).as(r.err()).isZero();
        String id = r.out().strip();
        assertThat(id).matches("\\S+");
        Cli.Result runs = cli.run("runs", "--server", server.url, "--pipeline", "three");
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        assertThat(runs.out()).startsWith("RUN").contains(id).contains("manual");
    }

    @Test
    void logsFollowPrintsLinesAsTheyAppearUntilTheAttemptEnds() throws Exception {
        Path marker = root.resolve("go");
        String id = cli.run("trigger", "live", "--param", "marker=" + marker, "--server", server.url).out().strip();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> follow = CompletableFuture.supplyAsync(() -> Main.execute(new PrintWriter(out, true),
                new PrintWriter(err, true), "logs", id, "talk", "--follow", "--server", server.url));

        await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("first line"));
        assertThat(follow).isNotDone();
        assertThat(out.toString()).doesNotContain("second line");
        Files.writeString(marker, "");

        assertThat(follow.get(30, TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("out first line").contains("out second line");
    }

    @Test
    void serverErrorsAreOneLineWithExitCodeTwo() {
        Cli.Result unknownParam = cli.run("trigger", "three", "--param", "nope=1", "--server", server.url);
        Cli.Result unknownPipeline = cli.run("trigger", "nosuch", "--server", server.url);
        Cli.Result badValue = cli.run("trigger", "three", "--param", "count=many", "--server", server.url);

        assertThat(unknownParam.exitCode()).isEqualTo(Main.INVALID);
        assertThat(unknownParam.err()).startsWith("sluice: unknown param 'nope'").hasLineCount(1);
        assertThat(unknownPipeline.exitCode()).isEqualTo(Main.INVALID);
        assertThat(unknownPipeline.err()).startsWith("sluice: ").contains("nosuch").hasLineCount(1);
        assertThat(badValue.exitCode()).isEqualTo(Main.INVALID);
        assertThat(badValue.err()).isEqualTo("sluice: param 'count' is an integer; got 'many'\n");
    }

    @Test
    void anUnreachableServerIsExitCodeThree() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli.Result r = cli.run("runs", "--server", "http://127.0.0.1:" + port);

        assertThat(r.exitCode()).isEqualTo(Main.ERROR);
        assertThat(r.err()).isEqualTo("sluice: cannot reach http://127.0.0.1:" + port + ": connection refused\n");
    }

    @Test
    void followNeedsAServer() {
        Cli.Result r = cli.run("logs", "r1", "s", "--follow");

        assertThat(r.exitCode()).isEqualTo(Main.INVALID);
        assertThat(r.err()).contains("--follow needs a server");
    }
}
