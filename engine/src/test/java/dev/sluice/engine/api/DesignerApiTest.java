package dev.sluice.engine.api;

import static dev.sluice.engine.api.ApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The designer's endpoints through a real server: status codes, JSON shapes, what is saved. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DesignerApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TWO = "# two steps\nname: two\nsteps:\n  - id: a\n    run: echo a   # first\n  - id: b\n    run: echo b\n";

    ApiServer api;

    @BeforeAll
    void start(@TempDir Path root) {
        api = new ApiServer(root);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    private HttpResponse<String> edit(String text, ObjectNode... edits) {
        ObjectNode body = MAPPER.createObjectNode();
        if (text != null) body.put("text", text);
        body.put("file", "two.yaml");
        ArrayNode list = body.putArray("edits");
        for (ObjectNode e : edits) list.add(e);
        return api.post("/api/designer/edit", "application/json", body.toString());
    }

    private static ObjectNode op(String op, String... kv) {
        ObjectNode n = MAPPER.createObjectNode().put("op", op);
        for (int i = 0; i < kv.length; i += 2) n.put(kv[i], kv[i + 1]);
        return n;
    }

    @Test
    void anEditOfAKnownBaseIsAnsweredWithWhatChangedOnly() throws Exception {
        JsonNode first = json(edit(TWO));
        String base = first.get("sha256").asText();
        ObjectNode body = MAPPER.createObjectNode().put("base", base).put("file", "two.yaml");
        body.putArray("edits").add(op("setStepField", "id", "b", "field", "run", "value", "echo bee"));
        HttpResponse<String> r = api.post("/api/designer/edit", "application/json", body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode d = json(r);
        assertThat(d.has("text")).isFalse();
        assertThat(d.get("base").asText()).isEqualTo(base);
        JsonNode tp = d.get("textPatch");
        String text = TWO.substring(0, tp.get("start").asInt()) + tp.get("text").asText() + TWO.substring(tp.get("end").asInt());
        assertThat(text).isEqualTo(TWO.replace("run: echo b\n", "run: echo bee\n"));
        assertThat(tp.get("text").asText()).isEqualTo("ee");
        // the document's change is the one field of the one step; the graph's the one node's summary
        assertThat(d.get("modelPatch").toString()).contains("echo bee").doesNotContain("echo a");
        assertThat(d.get("graphPatch").toString()).contains("echo bee").doesNotContain("\"layout\"");
        assertThat(d.get("sha256").asText()).isEqualTo(json(edit(text)).get("sha256").asText());

        // typing: the base and the typed range, answered the same way
        ObjectNode typed = MAPPER.createObjectNode().put("base", d.get("sha256").asText());
        typed.putObject("patch").put("start", 0).put("end", "# two steps".length()).put("text", "# 2 steps");
        typed.putArray("edits");
        JsonNode t = json(api.post("/api/designer/edit", "application/json", typed.toString()));
        assertThat(t.get("textPatch").get("text").asText()).isEqualTo("2");
        assertThat(t.get("changed").asBoolean()).isFalse();

        ObjectNode unknown = MAPPER.createObjectNode().put("base", "0".repeat(64));
        unknown.putArray("edits");
        HttpResponse<String> gone = api.post("/api/designer/edit", "application/json", unknown.toString());
        assertThat(gone.statusCode()).isEqualTo(409);
        assertThat(json(gone).get("error").asText()).isEqualTo("unknown-base");
    }

    @Test
    void editAnswersTheNewTextItsModelProblemsAndGraph() {
        HttpResponse<String> r = edit(TWO, op("connect", "from", "a", "to", "b"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode j = json(r);
        assertThat(j.get("text").asText()).isEqualTo(TWO.replace("  - id: b\n", "  - id: b\n    needs: [a]\n"));
        assertThat(j.get("changed").asBoolean()).isTrue();
        assertThat(j.at("/model/name").asText()).isEqualTo("two");
        assertThat(j.at("/model/steps/1/id").asText()).isEqualTo("b");
        assertThat(j.at("/model/steps/1/fields/needs/0").asText()).isEqualTo("a");
        assertThat(j.at("/model/steps/1/line").asInt()).isEqualTo(6);
        assertThat(j.at("/model/steps/1/endLine").asInt()).isEqualTo(8);
        assertThat(j.get("problems")).isEmpty();
        assertThat(j.at("/graph/nodes")).hasSize(2);
        assertThat(j.at("/graph/edges/0/from").asText()).isEqualTo("a");
        assertThat(j.at("/graph/layout/nodes")).hasSize(2);
    }

    @Test
    void noEditsJustAnalyseTheText() {
        HttpResponse<String> r = edit(TWO);

        JsonNode j = json(r);
        assertThat(j.get("text").asText()).isEqualTo(TWO);
        assertThat(j.get("changed").asBoolean()).isFalse();
    }

    @Test
    void problemsCarryTheStepTheyPointInto() {
        ObjectNode retries = op("setStepField", "id", "b", "field", "retries", "value", "lots");
        JsonNode j = json(edit(TWO, retries));

        assertThat(j.get("graph").isNull()).isTrue();
        assertThat(j.at("/problems/0/path").asText()).isEqualTo("steps[1].retries");
        assertThat(j.at("/problems/0/step").asText()).isEqualTo("b");
        assertThat(j.at("/problems/0/line").asInt()).isEqualTo(8);
    }

    @Test
    void aBrokenTextHasNoModelAndItsSyntaxErrorAsAProblem() {
        JsonNode j = json(edit("name: [oops\n"));

        assertThat(j.get("model").isNull()).isTrue();
        assertThat(j.at("/problems/0/code").asText()).isEqualTo("yaml");
        assertThat(j.at("/problems/0/step").isNull()).isTrue();
    }

    @Test
    void buildsANewPipelineFromAnEmptyText() {
        ObjectNode name = op("setPipelineField", "field", "name", "value", "fresh");
        ObjectNode add = MAPPER.createObjectNode().put("op", "addStep");
        add.putObject("step").put("id", "hello").put("run", "echo hi").put("retries", 2);
        JsonNode j = json(edit(null, name, add));

        assertThat(j.get("text").asText()).isEqualTo("name: fresh\nsteps:\n  - id: hello\n    run: echo hi\n    retries: 2\n");
        assertThat(j.get("graph").isObject()).isTrue();
    }

    @Test
    void refusesACycleWith409NamingThePathAndTheEdit() {
        HttpResponse<String> r = edit(TWO, op("connect", "from", "a", "to", "b"), op("connect", "from", "b", "to", "a"));

        assertThat(r.statusCode()).isEqualTo(409);
        JsonNode j = json(r);
        assertThat(j.get("error").asText()).isEqualTo("cycle");
        assertThat(j.get("message").asText()).contains("b -> a -> b");
        assertThat(j.get("op").asInt()).isEqualTo(1);
    }

    @Test
    void refusesEditsThatDoNotFitWith409AndAClearCode() {
        assertThat(json(edit(TWO, op("removeStep", "id", "zz"))).get("error").asText()).isEqualTo("unknown-step");
        assertThat(json(edit(TWO, op("renameStep", "id", "a", "to", "b"))).get("error").asText()).isEqualTo("duplicate-id");
        assertThat(json(edit(TWO, op("renameStep", "id", "a", "to", "A!"))).get("error").asText()).isEqualTo("bad-id");
        HttpResponse<String> field = edit(TWO, op("setStepField", "id", "a", "field", "cmd", "value", "x"));
        assertThat(field.statusCode()).isEqualTo(409);
        assertThat(json(field).get("error").asText()).isEqualTo("bad-field");
        assertThat(json(field).get("message").asText()).contains("'cmd'");
    }

    @Test
    void refusesMalformedRequestsWith400Or415() {
        assertThat(edit(TWO, op("explode")).statusCode()).isEqualTo(400);
        assertThat(json(edit(TWO, op("explode"))).get("error").asText()).isEqualTo("bad-edit");
        assertThat(edit(TWO, op("removeStep")).statusCode()).isEqualTo(400);
        assertThat(api.post("/api/designer/edit", "application/json", "{\"text\": 3}").statusCode()).isEqualTo(400);
        assertThat(api.post("/api/designer/edit", "application/json", "{\"txt\": \"\"}").statusCode()).isEqualTo(400);
        assertThat(api.post("/api/designer/edit", "application/json", "[]").statusCode()).isEqualTo(400);
        assertThat(api.post("/api/designer/edit", "application/json", "{").statusCode()).isEqualTo(400);
        assertThat(api.post("/api/designer/edit", "application/yaml", "name: x").statusCode()).isEqualTo(415);
    }

    @Test
    void refusesATextOverTheLimit() {
        HttpResponse<String> r = edit("# " + "x".repeat(1_100_000) + "\n");

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("error").asText()).isEqualTo("too-large");
        assertThat(api.post("/api/designer/edit", "application/json", "{\"text\":\"" + "x".repeat(3_000_000) + "\"}").statusCode())
                .isEqualTo(413);
    }

    @Test
    void describesAScheduleWithItsNextFiveFireTimes() {
        HttpResponse<String> r = api.post("/api/designer/schedule", "application/json",
                "{\"cron\":\"0 3 * * *\",\"timezone\":\"Europe/Paris\"}");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = json(r);
        assertThat(j.get("description").asText()).isEqualTo("every day at 03:00 Europe/Paris");
        assertThat(j.get("nextFireTimes")).hasSize(5);
        Instant first = Instant.parse(j.at("/nextFireTimes/0").asText());
        Instant second = Instant.parse(j.at("/nextFireTimes/1").asText());
        assertThat(first).isAfter(Instant.now().minusSeconds(60)).isBefore(second);
        assertThat(json(api.post("/api/designer/schedule", "application/json", "{\"cron\":\"@hourly\"}")).get("description").asText())
                .endsWith("UTC");
    }

    @Test
    void refusesABadScheduleWith400NamingEachBadField() {
        HttpResponse<String> r = api.post("/api/designer/schedule", "application/json", "{\"cron\":\"61 * * * *\",\"timezone\":\"Nowhere/City\"}");

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode j = json(r);
        assertThat(j.get("error").asText()).isEqualTo("invalid-schedule");
        assertThat(j.at("/errors/0/field").asText()).isEqualTo("cron");
        assertThat(j.at("/errors/1/field").asText()).isEqualTo("timezone");
        assertThat(api.post("/api/designer/schedule", "application/json", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void keepsPositionsOfASavedPipelineOutsideItsText() {
        String before = json(api.get("/api/pipelines/hello")).get("version").asText();
        assertThat(json(api.get("/api/pipelines/hello/positions")).get("positions")).isEmpty();

        HttpResponse<String> put = api.put("/api/pipelines/hello/positions", "application/json",
                "{\"positions\":{\"say\":{\"x\":10,\"y\":20.5},\"other\":{\"x\":-4,\"y\":0}}}");

        assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
        JsonNode got = json(api.get("/api/pipelines/hello/positions"));
        assertThat(got.at("/positions/say/x").asDouble()).isEqualTo(10.0);
        assertThat(got.at("/positions/say/y").asDouble()).isEqualTo(20.5);
        assertThat(got.at("/positions/other/x").asDouble()).isEqualTo(-4.0);
        assertThat(json(api.get("/api/pipelines/hello")).get("version").asText()).isEqualTo(before);

        assertThat(api.put("/api/pipelines/hello/positions", "application/json", "{\"positions\":{}}").statusCode()).isEqualTo(204);
        assertThat(json(api.get("/api/pipelines/hello/positions")).get("positions")).isEmpty();
    }

    @Test
    void positionsOfAnUnknownPipelineAre404AndABadBody400() {
        assertThat(api.get("/api/pipelines/nope/positions").statusCode()).isEqualTo(404);
        assertThat(api.put("/api/pipelines/nope/positions", "application/json", "{\"positions\":{}}").statusCode()).isEqualTo(404);
        for (String bad : new String[] {"{}", "{\"positions\":[]}", "{\"positions\":{\"a\":{\"x\":1}}}",
                "{\"positions\":{\"a\":{\"x\":\"1\",\"y\":2}}}", "{\"positions\":{\"Bad Id\":{\"x\":1,\"y\":2}}}",
                "{\"positions\":{\"a\":{\"x\":1,\"y\":2,\"z\":3}}}", "{\"positions\":{},\"more\":1}"}) {
            HttpResponse<String> r = api.put("/api/pipelines/hello/positions", "application/json", bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(r).get("error").asText()).as(bad).isIn("bad-positions", "bad-json");
        }
    }
}
