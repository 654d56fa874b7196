package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kill -9} of the server mid-run, then start again: the run finishes, no SUCCEEDED step runs twice. */
class ServerRestartTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path scratch;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final List<Process> servers = new ArrayList<>();

    @Test
    void aRestartedServerFinishesTheRunsOfTheOneThatWasKilled() throws Exception {
        Path marker = scratch.resolve("middle-started");
        try {
            String url = startServer("first.log");
            String body = "{\"params\": {\"marker\": " + json.writeValueAsString(marker.toString()) + "}}";
            String runId = json.readTree(send("POST", url + "api/pipelines/restart/runs", body)).get("id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(marker));
            long stepPid = Long.parseLong(Files.readString(marker).trim());

            servers.get(0).destroyForcibly().waitFor(); // kill -9

            String again = startServer("second.log");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    json.readTree(send("GET", again + "api/runs/" + runId, null)).get("status").asText().equals("SUCCEEDED"));

            JsonNode run = json.readTree(send("GET", again + "api/runs/" + runId, null));
            JsonNode first = step(run, "first");
            assertThat(first.get("attempts")).as("a SUCCEEDED step does not run again").hasSize(1);
            JsonNode middle = step(run, "middle");
            assertThat(middle.get("attempts")).hasSize(2);
            assertThat(middle.get("attempts").get(0).get("reason").asText()).isEqualTo("engine restart");
            assertThat(middle.get("attempts").get(1).get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(step(run, "last").get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(send("GET", again + "api/runs/" + runId + "/steps/middle/logs?attempt=2", null)).contains("out first");
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(stepPid).map(p -> !p.isAlive()).orElse(true));
        } finally {
            for (Process p : servers) p.destroyForcibly();
        }
    }

    @Test
    void aStoppedServerKillsStepsPastTheGraceAsInterruptedAndTheNextStartRunsThemAgain() throws Exception {
        Path marker = scratch.resolve("middle-started");
        try {
            String url = startServer("first.log", "--grace", "1s");
            String body = "{\"params\": {\"marker\": " + json.writeValueAsString(marker.toString()) + "}}";
            String runId = json.readTree(send("POST", url + "api/pipelines/restart/runs", body)).get("id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(marker));

            Process first = servers.get(0);
            first.destroy(); // SIGTERM
            assertThat(first.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).isZero();
            assertThat(Files.readString(scratch.resolve("first.log")))
                    .contains("1 step(s) killed and recorded as interrupted")
                    .as("a run the next server goes on with is not reported as an error")
                    .doesNotContain("could not finish it").doesNotContain("ERROR");

            String again = startServer("second.log");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    json.readTree(send("GET", again + "api/runs/" + runId, null)).get("status").asText().equals("SUCCEEDED"));
            JsonNode middle = step(json.readTree(send("GET", again + "api/runs/" + runId, null)), "middle");
            assertThat(middle.get("attempts")).extracting(a -> a.get("status").asText() + " " + a.get("reason").asText())
                    .containsExactly("FAILED interrupted", "SUCCEEDED null");
        } finally {
            for (Process p : servers) p.destroyForcibly();
        }
    }

    private String startServer(String logName, String... extra) throws Exception {
        Path out = scratch.resolve(logName + ".out");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "server", "--port", "0",
                "--data-dir", dataDir.toString(), "--pipelines", Cli.fixture("restart").toString(), "--slots", "2"));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(scratch.resolve(logName).toFile())
                .start();
        servers.add(p);
        await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive() || Files.readString(out).startsWith("http"));
        assertThat(p.isAlive()).as(Files.readString(scratch.resolve(logName))).isTrue();
        return Files.readString(out).lines().findFirst().orElseThrow().trim();
    }

    private String send(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        b = body == null ? b.header("X-Sluice-Request", "1").method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static JsonNode step(JsonNode run, String id) {
        for (JsonNode s : run.get("steps")) if (s.get("id").asText().equals(id)) return s;
        throw new AssertionError("no step " + id + " in " + run);
    }
}
