package dev.sluice.engine.browser;

import static dev.sluice.engine.api.ApiServer.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.api.ApiServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * The API tests' {@link ApiServer} over the pipelines of
 * {@code src/test/resources/dev/sluice/engine/browser/pipelines/}, and the few calls the browser
 * tests make to set the scene (save a pipeline, start a run, wait for it).
 */
final class TestServer implements AutoCloseable {

    private final ApiServer api;

    TestServer(Path root) {
        this(root, null);
    }

    /** @param token the token the API needs; null for none */
    TestServer(Path root, String token) {
        api = new ApiServer(root, token, ApiServer.resource(TestServer.class, "pipelines"));
    }

    /** The server's pipelines folder: the pipelines its files declare are saved back to them. */
    Path pipelinesDir() {
        return api.pipelinesDir();
    }

    String url() {
        return api.uri("").toString();
    }

    /** Saves a pipeline text through the API. */
    void save(String name, String yaml) {
        HttpResponse<String> r = api.put("/api/pipelines/" + name, "application/yaml", yaml);
        if (r.statusCode() >= 300) throw new AssertionError("saving " + name + ": " + r.statusCode() + " " + r.body());
    }

    /** Starts a run (params as JSON, or null) and returns its id. */
    String trigger(String pipeline, String paramsJson) {
        return api.trigger(pipeline, paramsJson == null ? null : "{\"params\":" + paramsJson + "}");
    }

    /** Waits (30 s at most) for a run to end, and returns it. */
    JsonNode awaitEnd(String runId) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            String status = run(runId).get("status").asText();
            return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED");
        });
        return run(runId);
    }

    /** A JSON request that changes state (PUT, POST or DELETE with {@code Content-Type: application/json}); its answer as it came. */
    HttpResponse<String> sendJson(String method, String path, String json) {
        return switch (method) {
            case "PUT" -> api.put(path, "application/json", json);
            case "POST" -> api.post(path, "application/json", json);
            default -> throw new IllegalArgumentException(method);
        };
    }

    /** Fires the alerts and triggers of the runs that ended (the leading server does it on its own thread). */
    int fireEvents() {
        return api.fireEvents();
    }

    /** Waits (30 s at most) for a run to end with SUCCEEDED, and returns it. */
    JsonNode awaitSuccess(String runId) {
        JsonNode run = awaitEnd(runId);
        if (!run.get("status").asText().equals("SUCCEEDED")) throw new AssertionError("run " + runId + " ended " + run);
        return run;
    }

    JsonNode run(String runId) {
        return get("/api/runs/" + runId);
    }

    JsonNode get(String path) {
        return json(api.get(path));
    }

    @Override
    public void close() {
        api.close();
    }
}
