package dev.sluice.engine.api;

import static dev.sluice.engine.api.ApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphApiTest {

    ApiServer api;

    @BeforeAll
    void start(@TempDir Path root) {
        api = new ApiServer(root);
        assertThat(api.put("/api/pipelines/graph", "application/yaml", ApiServer.read("graph.yaml")).statusCode()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void givesTheLatestVersionsTasksWithWhatTheirBoxesShow() {
        HttpResponse<String> r = api.get("/api/pipelines/graph/graph");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode g = json(r);
        assertThat(g.get("name").asText()).isEqualTo("graph");
        assertThat(g.get("version").asInt()).isEqualTo(1);
        assertThat(ids(g.get("nodes"), "id")).containsExactly("prepare", "train[lr=0.1]", "train[lr=0.01]", "report");
        JsonNode prepare = g.get("nodes").get(0);
        assertThat(prepare.get("summary").asText()).isEqualTo("python prepare.py --rows 1000…");
        assertThat(prepare.get("condition").isNull()).isTrue();
        assertThat(prepare.get("timeout").isNull()).isTrue();
        assertThat(prepare.get("matrix")).isEmpty();
        JsonNode train = g.get("nodes").get(1);
        assertThat(train.get("step").asText()).isEqualTo("train");
        assertThat(train.get("matrix").get("lr").asDouble()).isEqualTo(0.1);
        assertThat(ids(train.get("labels"), null)).containsExactly("gpu");
        assertThat(train.get("retries").asInt()).isEqualTo(2);
        assertThat(train.get("timeout").asText()).isEqualTo("30m");
        assertThat(train.get("critical").asBoolean()).isTrue();
        JsonNode report = g.get("nodes").get(3);
        assertThat(report.get("condition").asText()).isEqualTo("params.publish");
        assertThat(report.get("cache").asBoolean()).isTrue();
        assertThat(ids(report.get("needs"), null)).containsExactly("train[lr=0.1]", "train[lr=0.01]", "prepare");
    }

    @Test
    void givesEveryNeedTheReductionTheCriticalPathAndALayoutOfEveryNeed() {
        JsonNode g = json(api.get("/api/pipelines/graph/graph"));

        assertThat(edges(g.get("edges"))).containsExactly("prepare->train[lr=0.1]", "prepare->train[lr=0.01]",
                "train[lr=0.1]->report", "train[lr=0.01]->report", "prepare->report");
        assertThat(edges(g.get("reducedEdges"))).containsExactlyInAnyOrder("prepare->train[lr=0.1]", "prepare->train[lr=0.01]",
                "train[lr=0.1]->report", "train[lr=0.01]->report");
        assertThat(ids(g.get("criticalPath"), null)).containsExactly("prepare", "train[lr=0.1]", "report");
        JsonNode layout = g.get("layout");
        assertThat(layout.get("engine").asText()).isEqualTo("elk");
        assertThat(layout.get("width").asInt()).isPositive();
        assertThat(layout.get("height").asInt()).isPositive();
        assertThat(ids(layout.get("nodes"), "id")).containsExactly("prepare", "train[lr=0.1]", "train[lr=0.01]", "report");
        JsonNode box = layout.get("nodes").get(0);
        assertThat(box.get("width").asInt()).isGreaterThanOrEqualTo(180);
        assertThat(box.get("height").asInt()).isEqualTo(48);
        assertThat(edges(layout.get("edges"))).containsExactlyElementsOf(edges(g.get("edges")));
        JsonNode first = layout.get("edges").get(0).get("points");
        assertThat(first.size()).isGreaterThanOrEqualTo(2);
        assertThat(first.get(0).get(0).asInt()).isEqualTo(box.get("x").asInt() + box.get("width").asInt());
        assertThat(api.get("/api/pipelines/graph/graph").body()).as("the same every time").isEqualTo(api.get("/api/pipelines/graph/graph").body());
    }

    @Test
    void givesAnOlderVersionWhenAsked() {
        String two = "name: versions\nsteps:\n  - id: a\n    run: echo a\n  - id: b\n    needs: [a]\n    run: echo b\n";
        api.put("/api/pipelines/versions", "application/yaml", "name: versions\nsteps:\n  - id: a\n    run: echo a\n");
        api.put("/api/pipelines/versions", "application/yaml", two);

        JsonNode latest = json(api.get("/api/pipelines/versions/graph"));
        JsonNode first = json(api.get("/api/pipelines/versions/graph?version=1"));

        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(ids(latest.get("nodes"), "id")).containsExactly("a", "b");
        assertThat(first.get("version").asInt()).isEqualTo(1);
        assertThat(ids(first.get("nodes"), "id")).containsExactly("a");
        assertThat(first.get("edges")).isEmpty();
    }

    @Test
    void answers404ForAnUnknownPipelineOrVersionAnd400ForABadVersion() {
        HttpResponse<String> none = api.get("/api/pipelines/nope/graph");
        HttpResponse<String> noVersion = api.get("/api/pipelines/graph/graph?version=99");
        HttpResponse<String> bad = api.get("/api/pipelines/graph/graph?version=latest");

        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(json(none).get("message").asText()).isEqualTo("no pipeline nope");
        assertThat(noVersion.statusCode()).isEqualTo(404);
        assertThat(json(noVersion).get("message").asText()).isEqualTo("pipeline graph has no version 99");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).isEqualTo("bad-version");
    }

    @Test
    void answers409WithTheProblemsOfAStoredVersionThatNoLongerValidates() {
        api.store.savePipeline("stale", "name: stale\nsteps:\n  - id: a\n    run: echo a\n    needs: [gone]\n");

        HttpResponse<String> r = api.get("/api/pipelines/stale/graph");

        assertThat(r.statusCode()).isEqualTo(409);
        JsonNode body = json(r);
        assertThat(body.get("error").asText()).isEqualTo("invalid");
        assertThat(body.get("message").asText()).startsWith("version 1 of pipeline stale no longer validates: stale.yaml:5:");
        assertThat(body.get("errors").get(0).get("line").asInt()).isEqualTo(5);
    }

    @Test
    void validateGivesTheSameGraphAsASavedVersion() {
        JsonNode validated = json(api.post("/api/validate", "application/yaml", ApiServer.read("graph.yaml"))).get("graph");
        JsonNode saved = json(api.get("/api/pipelines/graph/graph"));

        for (String field : new String[] {"nodes", "edges", "reducedEdges", "criticalPath", "layout"}) {
            assertThat(validated.get(field)).as(field).isEqualTo(saved.get(field));
        }
    }

    private static List<String> ids(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) out.add(field == null ? n.asText() : n.get(field).asText());
        return out;
    }

    private static List<String> edges(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : array) out.add(e.get("from").asText() + "->" + e.get("to").asText());
        return out;
    }
}
