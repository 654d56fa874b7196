package dev.sluice.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The registry over HTTP: models, versions, content, alias moves with compare-and-set, lineage, reruns and diffs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelsApiTest {

    ApiServer api;
    String firstRun;

    @BeforeAll
    void start(@TempDir Path root) {
        api = new ApiServer(root, null, ApiServer.resource(ModelsApiTest.class, "registry"));
        firstRun = api.trigger("model-train", "{\"params\": {\"files\": 3}}");
        api.awaitStatus(firstRun, "SUCCEEDED");
        api.awaitStatus(api.trigger("model-train", "{\"params\": {\"files\": 3, \"auc\": 0.9}}"), "SUCCEEDED");
    }

    @AfterAll
    void stop() {
        api.close();
    }

    private HttpResponse<String> put(String path, String body) {
        return api.put(path, "application/json", body);
    }

    @Test
    void aRegisterStepsEventsSayRunningThenSucceededOnce() {
        List<String> states = api.store.events(firstRun, 0, 1000).stream()
                .filter(e -> "register".equals(e.taskId())).map(e -> e.status()).toList();
        assertThat(states).containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
    }

    @Test
    void listsModelsAndShowsAModelWithItsVersionsAliasesAndHistory() {
        JsonNode list = ApiServer.json(api.get("/api/models"));
        assertThat(list.get("models")).extracting(m -> m.get("name").asText()).containsExactly("bundle", "m");
        JsonNode m = ApiServer.json(api.get("/api/models/m"));
        assertThat(m.get("versions")).extracting(v -> v.get("version").asInt()).startsWith(2, 1);
        JsonNode v1 = ApiServer.json(api.get("/api/models/m/versions/1"));
        for (String field : List.of("model", "version", "sha256", "kind", "size", "created_at", "run_id", "task_id", "attempt",
                "pipeline", "pipeline_version", "params", "matrix", "metrics", "code", "description", "tags", "aliases")) {
            assertThat(v1.has(field)).as(field).isTrue();
        }
        assertThat(v1.get("run_id").asText()).isEqualTo(firstRun);
        assertThat(v1.get("kind").asText()).isEqualTo("file");
        assertThat(v1.get("metrics").get("auc").asDouble()).isEqualTo(0.8);
        assertThat(v1.get("code").has("git")).isTrue();
        assertThat(m.get("history").get(m.get("history").size() - 1).get("by").get("type").asText()).isEqualTo("run");
        assertThat(api.get("/api/models/nope").statusCode()).isEqualTo(404);
        assertThat(api.get("/api/models/m/versions/99").statusCode()).isEqualTo(404);
    }

    @Test
    void servesAFileVersionAndAFolderAsATarWithoutTheLinksThatPointOutside() throws IOException {
        HttpResponse<String> file = api.get("/api/models/m/versions/1/content");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo("{\"w\": 1}\n");

        HttpResponse<InputStream> tar = api.stream(api.request("/api/models/bundle/versions/1/content").GET());
        assertThat(tar.statusCode()).isEqualTo(200);
        assertThat(tar.headers().firstValue("Content-Type")).hasValue("application/x-tar");
        Map<String, String> entries = readTar(tar.body());
        assertThat(entries).containsOnlyKeys("f0.txt", "f1.txt", "f2.txt");
        assertThat(entries.get("f1.txt")).isEqualTo("file 1\n");
        JsonNode bundle = ApiServer.json(api.get("/api/models/bundle/versions/1"));
        assertThat(bundle.get("kind").asText()).isEqualTo("folder");
    }

    @Test
    void movesAnAliasWithANoteAndOfTwoConcurrentMovesOneGetsA409NamingTheCurrentVersion() throws Exception {
        HttpResponse<String> back = put("/api/models/m/aliases/prod", "{\"version\": 1, \"expected_version\": null, \"note\": \"first\"}");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(ApiServer.json(back).get("previous_version").isNull()).isTrue();

        CyclicBarrier barrier = new CyclicBarrier(2);
        List<HttpResponse<String>> answers = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(() -> {
                try {
                    barrier.await(10, TimeUnit.SECONDS);
                    answers.add(put("/api/models/m/aliases/prod", "{\"version\": 2, \"expected_version\": 1, \"note\": \"promote\"}"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();

        assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 409);
        JsonNode conflict = ApiServer.json(answers.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow());
        assertThat(conflict.get("error").asText()).isEqualTo("conflict");
        assertThat(conflict.get("message").asText()).isEqualTo("prod is at version 2, not 1");
        assertThat(conflict.get("current_version").asInt()).isEqualTo(2);

        HttpResponse<String> deleted = api.send(api.request("/api/models/m/aliases/prod")
                .header("Content-Type", "application/json")
                .method("DELETE", java.net.http.HttpRequest.BodyPublishers.ofString("{\"expected_version\": 2, \"note\": \"retired\"}")));
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        JsonNode history = ApiServer.json(api.get("/api/models/m")).get("history");
        assertThat(history.get(0).get("note").asText()).isEqualTo("retired");
        assertThat(history.get(0).get("to_version").isNull()).isTrue();
        assertThat(history.get(1).get("by").get("type").asText()).isEqualTo("api");
    }

    @Test
    void refusesHostileNamesAndBodiesWithAClear4xx() {
        String big = "a".repeat(10 * 1024);
        for (String path : List.of("/api/models/..%2Fetc", "/api/models/%C3%A9t%C3%A9", "/api/models/M", "/api/models/" + big,
                "/api/models/m/versions/0", "/api/models/m/versions/1x", "/api/models/m/versions/..%2F..%2Fetc/content")) {
            HttpResponse<String> r = api.get(path);
            assertThat(r.statusCode()).as(path.length() > 80 ? path.substring(0, 80) : path).isBetween(400, 499);
            assertThat(r.body().length()).isLessThan(1000);
        }
        assertThat(put("/api/models/m/aliases/a%2Fb", "{\"version\": 1}").statusCode()).isEqualTo(400);
        assertThat(put("/api/models/m/aliases/Champion", "{\"version\": 1}").statusCode()).isEqualTo(400);
        assertThat(put("/api/models/m/aliases/x", "{\"version\": \"1\"}").statusCode()).isEqualTo(400);
        assertThat(put("/api/models/m/aliases/x", "{\"version\": 1, \"extra\": 1}").statusCode()).isEqualTo(400);
        assertThat(put("/api/models/m/aliases/x", "{\"version\": 9}").statusCode()).isEqualTo(404);
        assertThat(put("/api/models/m/aliases/x", "{\"version\": 1, \"note\": \"" + "n".repeat(3000) + "\"}").statusCode()).isEqualTo(400);
        assertThat(api.put("/api/models/m/aliases/x", "text/plain", "version=1").statusCode()).isBetween(400, 499);
    }

    @Test
    void walksLineageFromAModelAndRefusesBadQueries() {
        JsonNode graph = ApiServer.json(api.get("/api/lineage?model=m:1"));
        assertThat(graph.get("root").asText()).isEqualTo("model_version:m:1");
        assertThat(graph.get("nodes")).extracting(n -> n.get("type").asText())
                .contains("model_version", "artifact", "attempt", "run", "pipeline_version", "params", "code_version");
        assertThat(graph.get("edges")).extracting(e -> e.get("type").asText()).contains("registered_as", "produced", "ran");
        assertThat(graph.get("truncated").asBoolean()).isFalse();
        for (JsonNode n : graph.get("nodes")) {
            if (n.get("type").asText().equals("run")) assertThat(n.get("href").asText()).startsWith("#/runs/");
            if (n.get("type").asText().equals("artifact")) assertThat(n.get("href").asText()).startsWith("/api/artifacts/");
        }
        JsonNode small = ApiServer.json(api.get("/api/lineage?model=m@champion&limit=2"));
        assertThat(small.get("truncated").asBoolean()).isTrue();
        assertThat(small.get("nodes")).hasSize(2);
        JsonNode step = ApiServer.json(api.get("/api/lineage?run=" + firstRun + "&step=register"));
        assertThat(step.get("root").asText()).isEqualTo("attempt:" + firstRun + ":register:1");

        assertThat(api.get("/api/lineage").statusCode()).isEqualTo(400);
        assertThat(api.get("/api/lineage?model=../x@y").statusCode()).isEqualTo(400);
        assertThat(api.get("/api/lineage?artifact=../../etc/passwd").statusCode()).isEqualTo(400);
        assertThat(api.get("/api/lineage?model=m@nope").statusCode()).isEqualTo(404);
        assertThat(api.get("/api/lineage?model=m:1&depth=999").statusCode()).isEqualTo(400);
    }

    @Test
    void rerunsARunAndDiffsItAgainstTheOriginal() {
        HttpResponse<String> created = api.post("/api/runs/" + firstRun + "/rerun", "application/json", "{}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode rerun = ApiServer.json(created);
        assertThat(rerun.get("rerun_of").asText()).isEqualTo(firstRun);
        String id = rerun.get("id").asText();
        api.awaitStatus(id, "SUCCEEDED");

        JsonNode diff = ApiServer.json(api.get("/api/runs/" + firstRun + "/diff/" + id));
        assertThat(diff.get("a").asText()).isEqualTo(firstRun);
        assertThat(diff.get("params")).isEmpty();
        assertThat(diff.get("outputs")).isEmpty();
        assertThat(diff.get("metrics")).extracting(r -> r.get("task_id").asText()).containsOnly("register", "register-bundle");
        assertThat(api.get("/api/runs/" + firstRun + "/diff/nope").statusCode()).isEqualTo(404);
        assertThat(api.post("/api/runs/nope/rerun", "application/json", "{}").statusCode()).isEqualTo(404);
    }

    // ---- tar reading

    private static Map<String, String> readTar(InputStream in) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (in) {
            while (true) {
                byte[] header = in.readNBytes(512);
                if (header.length < 512 || header[0] == 0) break;
                String name = new String(header, 0, 100, StandardCharsets.UTF_8).replace("\0", "");
                long size = Long.parseLong(new String(header, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
                byte[] data = in.readNBytes((int) size);
                in.readNBytes((int) ((512 - size % 512) % 512));
                entries.put(name, new String(data, StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    static int countTarEntries(InputStream in) throws IOException {
        int n = 0;
        try (in) {
            while (true) {
                byte[] header = in.readNBytes(512);
                if (header.length < 512 || header[0] == 0) break;
                long size = Long.parseLong(new String(header, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
                in.skipNBytes(size + (512 - size % 512) % 512);
                if (header[156] == '0') n++;
            }
        }
        return n;
    }
}
