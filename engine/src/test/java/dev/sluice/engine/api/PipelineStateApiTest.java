package dev.sluice.engine.api;

import static dev.sluice.engine.api.ApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Pausing, unpausing and deleting pipelines, and what the lists say of them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineStateApiTest {

    static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);

    ApiServer api;
    Path root;

    @BeforeAll
    void start(@TempDir Path root) {
        this.root = root;
        api = new ApiServer(root);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void pausesAndUnpausesAPipelineAndAnswersItsSummary() {
        put("pausable", "name: pausable\nschedule:\n  cron: \"0 3 * * *\"\nsteps:\n  - id: a\n    run: echo a\n");

        HttpResponse<String> paused = api.post("/api/pipelines/pausable/pause", null, null);

        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
        assertThat(json(paused).get("name").asText()).isEqualTo("pausable");
        assertThat(json(paused).get("paused").asBoolean()).isTrue();
        assertThat(json(paused).get("schedule").get("cron").asText()).isEqualTo("0 3 * * *");
        assertThat(find(json(api.get("/api/pipelines")), "pausable").get("paused").asBoolean()).isTrue();
        assertThat(json(api.get("/api/pipelines/pausable")).get("paused").asBoolean()).isTrue();
        assertThat(api.post("/api/pipelines/pausable/pause", null, null).statusCode()).as("pausing twice").isEqualTo(200);

        HttpResponse<String> unpaused = api.post("/api/pipelines/pausable/unpause", null, null);

        assertThat(unpaused.statusCode()).isEqualTo(200);
        assertThat(json(unpaused).get("paused").asBoolean()).isFalse();
        assertThat(json(api.get("/api/pipelines/pausable")).get("paused").asBoolean()).isFalse();
    }

    @Test
    void answers404WhenPausingUnpausingOrDeletingAnUnknownPipeline() {
        for (HttpResponse<String> r : new HttpResponse[] {
                api.post("/api/pipelines/nope/pause", null, null),
                api.post("/api/pipelines/nope/unpause", null, null),
                api.delete("/api/pipelines/nope")}) {
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(json(r).get("error").asText()).isEqualTo("not-found");
            assertThat(json(r).get("message").asText()).isEqualTo("no pipeline nope");
        }
    }

    @Test
    void aDeletedPipelineVanishesButItsRunsStayReadable() {
        put("doomed", "name: doomed\nsteps:\n  - id: a\n    run: echo a\n");
        String runId = api.trigger("doomed", null);
        api.awaitStatus(runId, "SUCCEEDED");

        HttpResponse<String> deleted = api.delete("/api/pipelines/doomed");

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(json(api.get("/api/pipelines"))).extracting(p -> p.get("name").asText()).doesNotContain("doomed");
        for (String path : new String[] {"/api/pipelines/doomed", "/api/pipelines/doomed/versions"}) {
            assertThat(api.get(path).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(api.post("/api/pipelines/doomed/runs", null, null).statusCode()).isEqualTo(404);
        assertThat(api.post("/api/pipelines/doomed/pause", null, null).statusCode()).isEqualTo(404);
        assertThat(api.delete("/api/pipelines/doomed").statusCode()).as("deleting twice").isEqualTo(404);
        HttpResponse<String> run = api.get("/api/runs/" + runId);
        assertThat(run.statusCode()).isEqualTo(200);
        assertThat(json(api.get("/api/runs?pipeline=doomed"))).hasSize(1);
    }

    @Test
    void savingADeletedNameBringsItBackWithTheNextVersionUnpaused() {
        String text = "name: phoenix\nsteps:\n  - id: a\n    run: echo a\n";
        put("phoenix", text);
        api.post("/api/pipelines/phoenix/pause", null, null);
        api.delete("/api/pipelines/phoenix");

        HttpResponse<String> back = api.put("/api/pipelines/phoenix", "application/yaml", text + "# again\n");

        assertThat(back.statusCode()).isEqualTo(201);
        assertThat(json(back).get("version").asInt()).isEqualTo(2);
        JsonNode detail = json(api.get("/api/pipelines/phoenix"));
        assertThat(detail.get("version").asInt()).isEqualTo(2);
        assertThat(detail.get("paused").asBoolean()).isFalse();
        assertThat(json(api.get("/api/pipelines/phoenix/versions"))).hasSize(2);
    }

    @Test
    void deletingLetsActiveRunsFinish() throws IOException {
        Path go = root.resolve("go");
        put("busy", "name: busy\nsteps:\n  - id: wait\n    run: while [ ! -f '" + go + "' ]; do sleep 0.05; done\n");
        String runId = api.trigger("busy", null);
        await().atMost(RUN_TIMEOUT).until(() -> json(api.get("/api/runs/" + runId)).get("status").asText().equals("RUNNING"));

        assertThat(api.delete("/api/pipelines/busy").statusCode()).isEqualTo(204);
        Files.writeString(go, "");

        api.awaitStatus(runId, "SUCCEEDED");
    }

    @Test
    void listsTheLastRunOfEachPipeline() {
        put("counted", "name: counted\nsteps:\n  - id: a\n    run: echo a\n");
        assertThat(find(json(api.get("/api/pipelines")), "counted").get("lastRun").isNull()).isTrue();
        api.awaitStatus(api.trigger("counted", null), "SUCCEEDED");
        String second = api.trigger("counted", null);
        api.awaitStatus(second, "SUCCEEDED");

        JsonNode lastRun = find(json(api.get("/api/pipelines")), "counted").get("lastRun");

        assertThat(lastRun.get("id").asText()).isEqualTo(second);
        assertThat(lastRun.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(lastRun.get("createdAt").asText()).endsWith("Z");
        assertThat(json(api.get("/api/pipelines/counted")).get("lastRun").get("id").asText()).isEqualTo(second);
    }

    private void put(String name, String text) {
        HttpResponse<String> r = api.put("/api/pipelines/" + name, "application/yaml", text);
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode p : list) if (p.get("name").asText().equals(name)) return p;
        throw new AssertionError("no pipeline " + name + " in " + list);
    }
}
