package dev.sluice.engine.api;

import static dev.sluice.engine.api.ApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelinesApiTest {

    ApiServer api;

    @BeforeAll
    void start(@TempDir Path root) {
        api = new ApiServer(root);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void hidesTheDefaultOfAParamNamedLikeASecret() {
        String text = "name: secretive\nparams:\n  api_token: abcd-1234-efgh\n  who: world\nsteps:\n  - id: a\n    run: echo hi\n";
        assertThat(api.put("/api/pipelines/secretive", "application/yaml", text).statusCode()).isIn(200, 201);

        com.fasterxml.jackson.databind.JsonNode list = json(api.get("/api/pipelines"));
        com.fasterxml.jackson.databind.JsonNode params = null;
        for (com.fasterxml.jackson.databind.JsonNode p : list) if (p.get("name").asText().equals("secretive")) params = p.get("params");

        assertThat(params).isNotNull();
        assertThat(params.get(0).get("name").asText()).isEqualTo("api_token");
        assertThat(params.get(0).get("default").asText()).isEqualTo("***");
        assertThat(params.get(0).get("secret").asBoolean()).isTrue();
        assertThat(params.get(1).get("default").asText()).isEqualTo("world");
        assertThat(params.get(1).has("secret")).isFalse();
        assertThat(api.get("/api/pipelines").body()).doesNotContain("abcd-1234-efgh");
    }

    @Test
    void answersHealth() {
        HttpResponse<String> r = api.get("/api/health");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(json(r).get("status").asText()).isEqualTo("ok");
    }

    @Test
    void listsTheValidPipelinesOfTheFolderWithTheirSchedule() {
        HttpResponse<String> r = api.get("/api/pipelines");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode list = json(r);
        assertThat(list).extracting(p -> p.get("name").asText()).contains("hello", "nightly", "slow").doesNotContain("broken");
        JsonNode nightly = find(list, "nightly");
        assertThat(nightly.get("schedule").get("cron").asText()).isEqualTo("0 3 * * *");
        assertThat(nightly.get("schedule").get("timezone").asText()).isEqualTo("Europe/Paris");
        assertThat(nightly.get("schedule").get("description").asText()).isEqualTo("every day at 03:00 Europe/Paris");
        assertThat(nightly.get("schedule").get("nextFireTimes")).hasSize(1);
        assertThat(nightly.get("version").asInt()).isEqualTo(1);
        assertThat(nightly.get("sha256").asText()).hasSize(64);
        assertThat(nightly.get("lastRun").isNull()).isTrue();
        JsonNode hello = find(list, "hello");
        assertThat(hello.get("description").asText()).isEqualTo("Say hello and count the letters");
        assertThat(hello.get("schedule").isNull()).isTrue();
    }

    @Test
    void getsOnePipelineWithItsText() {
        HttpResponse<String> r = api.get("/api/pipelines/hello");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("text").asText()).isEqualTo(ApiServer.read("pipelines/hello.yaml"));
        assertThat(json(r).get("name").asText()).isEqualTo("hello");
    }

    @Test
    void answers404ForAnUnknownPipeline() {
        for (String path : new String[] {"/api/pipelines/nope", "/api/pipelines/nope/versions", "/api/pipelines/broken"}) {
            HttpResponse<String> r = api.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(json(r).get("error").asText()).isEqualTo("not-found");
            assertThat(json(r).get("message").asText()).contains("no pipeline");
        }
    }

    @Test
    void savesANewVersionOnlyWhenTheTextChanges() {
        String text = "name: fresh\nsteps:\n  - id: a\n    run: echo a\n";

        HttpResponse<String> first = api.put("/api/pipelines/fresh", "application/yaml", text);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(json(first).get("version").asInt()).isEqualTo(1);
        assertThat(json(first).get("sha256").asText()).hasSize(64);

        HttpResponse<String> same = api.put("/api/pipelines/fresh", "text/yaml; charset=utf-8", text);
        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(json(same).get("version").asInt()).isEqualTo(1);

        HttpResponse<String> changed = api.put("/api/pipelines/fresh", "application/x-yaml", text + "# changed\n");
        assertThat(changed.statusCode()).isEqualTo(201);
        assertThat(json(changed).get("version").asInt()).isEqualTo(2);

        JsonNode versions = json(api.get("/api/pipelines/fresh/versions"));
        assertThat(versions).extracting(v -> v.get("version").asInt()).containsExactly(1, 2);
        assertThat(versions.get(0).get("sha256").asText()).isEqualTo(json(first).get("sha256").asText());
        assertThat(versions.get(1).get("createdAt").asText()).endsWith("Z");
    }

    @Test
    void refusesAnInvalidPipelineWithTheLineAndColumnOfEachProblem() {
        HttpResponse<String> r = api.put("/api/pipelines/posted", "application/yaml", ApiServer.read("invalid.yaml"));

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = json(r);
        assertThat(body.get("error").asText()).isEqualTo("invalid");
        assertThat(body.get("message").asText()).isNotBlank();
        JsonNode problem = body.get("errors").get(0);
        assertThat(problem.get("line").asInt()).isEqualTo(4);
        assertThat(problem.get("column").asInt()).isEqualTo(13);
        assertThat(problem.get("message").asText()).contains("missing");
        assertThat(problem.get("code").asText()).isNotBlank();
        assertThat(problem.get("path").asText()).startsWith("steps[0].needs");
        assertThat(api.get("/api/pipelines/posted").statusCode()).isEqualTo(404);
    }

    @Test
    void refusesATextWhoseNameDiffersFromThePath() {
        HttpResponse<String> r = api.put("/api/pipelines/other", "application/yaml", "name: mine\nsteps:\n  - id: a\n    run: echo a\n");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo("name-mismatch");
        assertThat(api.get("/api/pipelines/other").statusCode()).isEqualTo(404);
        assertThat(api.get("/api/pipelines/mine").statusCode()).isEqualTo(404);
    }

    @Test
    void refusesAnotherContentTypeWith415() {
        HttpResponse<String> r = api.put("/api/pipelines/hello", "application/json", "{\"name\": \"hello\"}");

        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(json(r).get("error").asText()).isEqualTo("unsupported-media-type");
        assertThat(api.post("/api/validate", "text/plain", "name: x").statusCode()).isEqualTo(415);
    }

    @Test
    void validatesATextWithoutSavingItAndReturnsItsGraph() {
        String text = "name: graph\nsteps:\n  - id: a\n    run: echo a\n  - id: b\n    needs: [a]\n    run: echo b\n"
                + "  - id: c\n    needs: [a, b]\n    run: echo c\n";

        HttpResponse<String> r = api.post("/api/validate", "application/yaml", text);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("valid").asBoolean()).isTrue();
        assertThat(body.get("errors")).isEmpty();
        assertThat(body.get("graph").get("nodes")).extracting(n -> n.get("id").asText() + "/" + n.get("step").asText())
                .containsExactly("a/a", "b/b", "c/c");
        assertThat(body.get("graph").get("edges")).extracting(e -> e.get("from").asText() + "->" + e.get("to").asText())
                .containsExactly("a->b", "a->c", "b->c");
        assertThat(body.get("graph").get("reducedEdges")).extracting(e -> e.get("from").asText() + "->" + e.get("to").asText())
                .containsExactlyInAnyOrder("a->b", "b->c");
        assertThat(body.get("graph").get("layout").get("nodes")).hasSize(3);
        assertThat(body.get("graph").get("criticalPath")).extracting(JsonNode::asText).containsExactly("a", "b", "c");
        assertThat(api.get("/api/pipelines/graph").statusCode()).isEqualTo(404);

        JsonNode invalid = json(api.post("/api/validate", "application/yaml", ApiServer.read("invalid.yaml")));
        assertThat(invalid.get("valid").asBoolean()).isFalse();
        assertThat(invalid.get("errors").get(0).get("line").asInt()).isEqualTo(4);
        assertThat(invalid.has("graph")).isFalse();
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode p : list) if (p.get("name").asText().equals(name)) return p;
        throw new AssertionError("no pipeline " + name + " in " + list);
    }

    @Test
    void showsTheNextFiveFireTimesOfAScheduledPipelineInItsZone() {
        JsonNode nightly = json(api.get("/api/pipelines/nightly"));
        JsonNode times = nightly.get("schedule").get("nextFireTimes");
        assertThat(times).hasSize(5);
        for (JsonNode t : times) {
            java.time.ZonedDateTime paris = java.time.Instant.parse(t.asText()).atZone(java.time.ZoneId.of("Europe/Paris"));
            assertThat(paris.getHour()).isEqualTo(3);
            assertThat(paris.getMinute()).isZero();
        }
    }
}
