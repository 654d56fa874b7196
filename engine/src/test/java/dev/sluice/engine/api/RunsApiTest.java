package dev.sluice.engine.api;

import static dev.sluice.engine.api.ApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunsApiTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);

    ApiServer api;

    @BeforeAll
    void start(@TempDir Path root) {
        api = new ApiServer(root);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    private static JsonNode step(JsonNode report, String id) {
        for (JsonNode s : report.get("steps")) if (s.get("id").asText().equals(id)) return s;
        throw new AssertionError("no step " + id + " in " + report);
    }

    @Test
    void runsAPipelineWithParamsAndReportsStepsAttemptsMetricsAndOutputs() throws IOException {
        String id = api.trigger("hello", "{\"params\": {\"who\": \"sluice\", \"times\": 2}}");

        JsonNode report = api.awaitStatus(id, "SUCCEEDED");

        assertThat(report.get("pipeline").asText()).isEqualTo("hello");
        assertThat(report.get("trigger").get("type").asText()).isEqualTo("manual");
        assertThat(report.get("params").get("who").asText()).isEqualTo("sluice");
        assertThat(report.get("params").get("times").asLong()).isEqualTo(2);
        JsonNode greet = step(report, "greet");
        assertThat(greet.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(greet.get("attempts")).hasSize(1);
        assertThat(greet.get("attempts").get(0).get("exitCode").asInt()).isZero();
        assertThat(greet.get("metrics").get("letters").asDouble()).isEqualTo(11.0);
        JsonNode output = greet.get("outputs").get(0);
        assertThat(output.get("path").asText()).isEqualTo("greeting.txt");
        assertThat(step(report, "shout").get("status").asText()).isEqualTo("SUCCEEDED");

        HttpResponse<InputStream> download = api.stream(api.request("/api/artifacts/" + output.get("sha256").asText()).GET());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d).startsWith("attachment"));
        try (InputStream in = download.body()) {
            assertThat(in.readAllBytes()).isEqualTo("hello sluice\n".getBytes());
        }

        HttpResponse<String> log = api.get("/api/runs/" + id + "/steps/shout/logs");
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(log.body()).contains("HELLO SLUICE");
        assertThat(api.get("/api/runs/" + id + "/steps/greet/logs?attempt=1").body()).contains("greeting sluice");

        JsonNode pipeline = json(api.get("/api/pipelines/hello"));
        assertThat(pipeline.get("lastRun").get("id").asText()).isEqualTo(id);
    }

    @Test
    void runsWithTheDefaultsWhenTheBodyIsEmpty() {
        String id = api.trigger("hello", null);

        JsonNode report = api.awaitStatus(id, "SUCCEEDED");

        assertThat(report.get("params").get("who").asText()).isEqualTo("world");
    }

    @Test
    void refusesUnknownOrMistypedParamsAndBadJsonWithoutCreatingARun() {
        int before = json(api.get("/api/runs?pipeline=hello&limit=500")).size();

        HttpResponse<String> unknown = api.post("/api/pipelines/hello/runs", "application/json", "{\"params\": {\"whom\": \"x\"}}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("error").asText()).isEqualTo("bad-params");
        assertThat(json(unknown).get("message").asText()).contains("unknown param 'whom'");

        HttpResponse<String> mistyped = api.post("/api/pipelines/hello/runs", "application/json", "{\"params\": {\"times\": \"many\"}}");
        assertThat(mistyped.statusCode()).isEqualTo(400);
        assertThat(json(mistyped).get("message").asText()).contains("times");

        HttpResponse<String> badJson = api.post("/api/pipelines/hello/runs", "application/json", "{\"params\": {");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(json(badJson).get("error").asText()).isEqualTo("bad-json");

        HttpResponse<String> notAnObject = api.post("/api/pipelines/hello/runs", "application/json", "[1, 2]");
        assertThat(notAnObject.statusCode()).isEqualTo(400);

        assertThat(json(api.get("/api/runs?pipeline=hello&limit=500")).size()).isEqualTo(before);
    }

    @Test
    void answers404ForAnUnknownPipelineRunStepOrAttempt() {
        assertThat(api.post("/api/pipelines/nope/runs", null, null).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/runs/nope").statusCode()).isEqualTo(404);
        assertThat(api.post("/api/runs/nope/cancel", null, null).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/runs/nope/steps/greet/logs").statusCode()).isEqualTo(404);

        String id = api.trigger("hello", null);
        api.awaitStatus(id, "SUCCEEDED");
        assertThat(api.get("/api/runs/" + id + "/steps/nope/logs").statusCode()).isEqualTo(404);
        HttpResponse<String> attempt = api.get("/api/runs/" + id + "/steps/greet/logs?attempt=2");
        assertThat(attempt.statusCode()).isEqualTo(404);
        assertThat(json(attempt).get("error").asText()).isEqualTo("not-found");
        assertThat(api.get("/api/artifacts/" + "0".repeat(64)).statusCode()).isEqualTo(404);
    }

    @Test
    void cancelsALongRunAndRefusesToCancelItAgain() {
        String id = api.trigger("slow", null);
        await().atMost(RUN_TIMEOUT).until(() -> step(json(api.get("/api/runs/" + id)), "wait").get("status").asText().equals("RUNNING"));

        HttpResponse<String> cancel = api.post("/api/runs/" + id + "/cancel", null, null);
        assertThat(cancel.statusCode()).isEqualTo(202);
        assertThat(json(cancel).get("id").asText()).isEqualTo(id);

        JsonNode report = api.awaitStatus(id, "CANCELLED");
        assertThat(step(report, "wait").get("status").asText()).isEqualTo("CANCELLED");
        assertThat(step(report, "after").get("status").asText()).isEqualTo("CANCELLED");

        HttpResponse<String> again = api.post("/api/runs/" + id + "/cancel", null, null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).get("error").asText()).isEqualTo("conflict");
    }

    @Test
    void retriesTheFailedStepsOfARunOnTheSameRun(@TempDir Path dir) throws IOException {
        Path fixed = dir.resolve("fixed");
        String id = api.trigger("flaky", "{\"params\": {\"fixed\": \"" + fixed + "\"}}");
        api.awaitStatus(id, "FAILED");
        java.nio.file.Files.writeString(fixed, "");

        HttpResponse<String> retry = api.post("/api/runs/" + id + "/retry", null, null);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);

        JsonNode report = api.awaitStatus(id, "SUCCEEDED");
        assertThat(step(report, "first").get("attempts")).as("not run again").hasSize(1);
        assertThat(step(report, "check").get("attempts")).extracting(a -> a.get("status").asText())
                .containsExactly("FAILED", "SUCCEEDED");
        assertThat(step(report, "last").get("attempts")).hasSize(1);

        HttpResponse<String> again = api.post("/api/runs/" + id + "/retry", null, null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).get("message").asText()).contains("is SUCCEEDED");
        assertThat(api.post("/api/runs/nope/retry", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void refusesToCancelARunThatAnotherProcessRuns() {
        var version = api.store.latestPipeline("slow").orElseThrow();
        var plan = dev.sluice.engine.dag.Planner.plan(dev.sluice.engine.pipeline.PipelineLoader
                .parse("slow.yaml", version.text(), api.pipelinesDir).pipeline());
        java.time.Instant now = java.time.Instant.now();
        var create = dev.sluice.engine.scheduler.NewRun.create("elsewhere-1", version, plan, java.util.Map.of(), "manual",
                now, now, "cli:otherhost:42:1");
        api.store.commit(java.util.List.of(create));

        HttpResponse<String> cancel = api.post("/api/runs/elsewhere-1/cancel", null, null);

        assertThat(cancel.statusCode()).isEqualTo(409);
        assertThat(json(cancel).get("message").asText()).contains("cli:otherhost:42:1");
    }

    @Test
    void listsRunsNewestFirstWithFilters() {
        String first = api.trigger("nightly", null);
        api.awaitStatus(first, "SUCCEEDED");
        String second = api.trigger("nightly", null);
        api.awaitStatus(second, "SUCCEEDED");

        JsonNode runs = json(api.get("/api/runs?pipeline=nightly"));
        assertThat(runs).extracting(r -> r.get("id").asText()).containsExactly(second, first);
        assertThat(runs.get(0).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(runs.get(0).get("version").asInt()).isEqualTo(1);
        assertThat(json(api.get("/api/runs?pipeline=nightly&limit=1"))).hasSize(1);
        assertThat(json(api.get("/api/runs?pipeline=nightly&status=failed"))).isEmpty();
        String createdAt = runs.get(0).get("createdAt").asText();
        assertThat(json(api.get("/api/runs?pipeline=nightly&before=" + createdAt)))
                .extracting(r -> r.get("id").asText()).containsExactly(first);
    }

    @Test
    void servesTheLogOfAMatrixVariantNamedByItsUrlEncodedTaskId() {
        String text = "name: grid\nsteps:\n  - id: train\n    matrix: { c: [1, 2] }\n    run: echo \"c is ${{ matrix.c }}\"\n";
        assertThat(api.put("/api/pipelines/grid", "application/yaml", text).statusCode()).isEqualTo(201);
        String id = api.trigger("grid", "{}");
        JsonNode report = api.awaitStatus(id, "SUCCEEDED");
        String variant = report.get("steps").get(1).get("id").asText();

        String encoded = java.net.URLEncoder.encode(variant, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        HttpResponse<String> log = api.get("/api/runs/" + id + "/steps/" + encoded + "/logs");

        assertThat(log.statusCode()).as(variant + " " + log.body()).isEqualTo(200);
        assertThat(log.body()).contains("c is 2");
    }

    @Test
    void refusesABadQueryWith400() {
        for (String q : new String[] {"status=SLEEPING", "limit=0", "limit=501", "limit=ten", "before=yesterday"}) {
            HttpResponse<String> r = api.get("/api/runs?" + q);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            assertThat(json(r).get("error").asText()).isEqualTo("bad-query");
        }
    }
}
