package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path scratch;

    @BeforeAll
    static void shortKillGrace() {
        System.setProperty("sluice.kill-grace", "PT1S");
    }

    @Test
    void killsATimedOutStepWithItsChildrenRetriesItThenFailsAndSkipsDownstream() throws IOException {
        Path pids = scratch.resolve("pids.txt");
        Cli.Result r = new Cli(dataDir).run("run", Cli.fixture("timeout.yaml").toString(), "--param", "pids=" + pids, "--json");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.json().get("status").asText()).isEqualTo("FAILED");
        JsonNode slow = r.step("slow");
        assertThat(slow.get("status").asText()).isEqualTo("FAILED");
        assertThat(slow.get("reason").asText()).isEqualTo("timeout");
        assertThat(slow.get("attempts")).hasSize(2);
        for (JsonNode a : slow.get("attempts")) {
            assertThat(a.get("status").asText()).isEqualTo("FAILED");
            assertThat(a.get("reason").asText()).isEqualTo("timeout");
        }
        assertThat(r.step("after").get("status").asText()).isEqualTo("SKIPPED");
        assertThat(r.step("after").get("reason").asText()).isEqualTo("upstream failed: slow");
        assertThat(r.step("independent").get("status").asText()).isEqualTo("SUCCEEDED");

        List<Long> started = new ArrayList<>();
        try (Stream<String> lines = Files.lines(pids)) {
            lines.map(String::trim).filter(s -> !s.isEmpty()).map(Long::parseLong).forEach(started::add);
        }
        assertThat(started).hasSize(4); // a shell and its TERM-ignoring child, per attempt
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(started).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .as("process %d still alive", pid).isFalse()));

        Cli.Result show = new Cli(dataDir).run("show", r.json().get("id").asText());
        assertThat(show.out()).contains("attempt 1", "attempt 2", "reason: timeout");
    }

    @Test
    void passesOutputsDownstreamStoresEachContentOnceAndGatesOnMetrics() throws IOException {
        Cli.Result r = new Cli(dataDir).run("run", Cli.fixture("flow.yaml").toString(), "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode make = r.step("make");
        assertThat(make.get("metrics").get("score").asDouble()).isEqualTo(0.75);
        assertThat(make.get("metrics").get("loss").asDouble()).isEqualTo(0.25);
        assertThat(make.get("outputs")).extracting(o -> o.get("path").asText()).containsExactly("copy.txt", "data/a.txt");
        assertThat(make.get("outputs").get(0).get("sha256").asText()).isEqualTo(make.get("outputs").get(1).get("sha256").asText());
        JsonNode use = r.step("use");
        assertThat(use.get("outputs").get(0).get("size").asLong()).isEqualTo("same bytes\n".length() * 2L);
        assertThat(r.step("gated").get("status").asText()).isEqualTo("SUCCEEDED");

        long stored;
        try (Stream<Path> files = Files.walk(dataDir.resolve("artifacts"))) {
            stored = files.filter(Files::isRegularFile).count();
        }
        assertThat(stored).as("one stored file per distinct content").isEqualTo(2);

        Cli.Result gatedOff = new Cli(dataDir).run("run", Cli.fixture("flow.yaml").toString(), "--param", "threshold=0.9", "--json");
        assertThat(gatedOff.exitCode()).isZero();
        assertThat(gatedOff.step("gated").get("status").asText()).isEqualTo("SKIPPED");
        assertThat(gatedOff.step("gated").get("reason").asText()).isEqualTo("condition false");
    }

    @Test
    void reusesACachedStepsOutputsAndMetricsOnTheNextRun() {
        Cli cli = new Cli(dataDir);
        Cli.Result first = cli.run("run", Cli.fixture("cached.yaml").toString(), "--json");
        Cli.Result second = cli.run("run", Cli.fixture("cached.yaml").toString(), "--json");

        assertThat(first.step("compute").get("cached").asBoolean()).isFalse();
        JsonNode compute = second.step("compute");
        assertThat(compute.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(compute.get("cached").asBoolean()).isTrue();
        assertThat(compute.get("metrics").get("answer").asDouble()).isEqualTo(42);
        assertThat(compute.get("outputs").get(0).get("sha256").asText())
                .isEqualTo(first.step("compute").get("outputs").get(0).get("sha256").asText());
        assertThat(second.step("report").get("status").asText()).isEqualTo("SUCCEEDED");
        Cli.Result log = cli.run("logs", second.json().get("id").asText(), "report");
        assertThat(log.out()).contains("out 42");
    }

    @Test
    void refusesAParamThatDoesNotFitItsTypeOrDoesNotExist() {
        Cli cli = new Cli(dataDir);
        Cli.Result wrongType = cli.run("run", Cli.fixture("flow.yaml").toString(), "--param", "threshold=abc");
        assertThat(wrongType.exitCode()).isEqualTo(2);
        assertThat(wrongType.err()).contains("threshold").doesNotContain("Exception");
        Cli.Result unknown = cli.run("run", Cli.fixture("flow.yaml").toString(), "--param", "nope=1");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("nope");
    }

    @Test
    void validateReportsAllFiveProblemsOfOneFileWithTheirLines() {
        Path file = Cli.fixture("five-errors.yaml");
        Cli.Result r = new Cli(dataDir).run("validate", file.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        List<String> lines = r.err().lines().toList();
        assertThat(lines).allSatisfy(l -> assertThat(l).startsWith(file + ":"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(":3:").containsIgnoringCase("cron"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(":14:").containsIgnoringCase("duplicate"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(":18:").contains("nope"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(":19:").contains("retires").contains("retries"));
        assertThat(lines).anySatisfy(l -> assertThat(l).containsIgnoringCase("cycle").contains("->"));
    }

    @Test
    void listsRunsAndPrintsLogsOfAStep() {
        Cli cli = new Cli(dataDir);
        Cli.Result run = cli.run("run", Cli.fixture("cached.yaml").toString(), "--json");
        String id = run.json().get("id").asText();
        Cli.Result runs = cli.run("runs");
        assertThat(runs.out()).contains(id, "cached", "SUCCEEDED");
        Cli.Result logs = cli.run("logs", id.substring(0, id.length() - 2), "compute");
        assertThat(logs.exitCode()).as(logs.err()).isZero();
        assertThat(logs.out()).contains("out computing");
        Cli.Result missing = cli.run("logs", id, "nope");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no step 'nope'");
    }

    @Test
    void keepsANewDataDirPrivateStoresBinaryOutputAndMasksMultiLineSecrets() throws IOException {
        Path fresh = dataDir.resolve("fresh");
        Cli cli = new Cli(fresh);
        Cli.Result r = cli.run("run", Cli.fixture("binary.yaml").toString(), "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(java.nio.file.Files.getPosixFilePermissions(fresh)).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        assertThat(java.nio.file.Files.getPosixFilePermissions(fresh.resolve("db-password")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String log = cli.run("logs", r.json().get("id").asText(), "noisy").out();
        assertThat(log).contains("before\uFFFDafter").doesNotContain("c2VjcmV0LWtleS1saW5l").contains("***");
    }
}
