package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.engine.alert.Webhook;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code sluice server --channels}: a run's alert reaches a webhook receiver once, signed, and
 * starts its pipeline once, whose end starts its {@code pipeline} trigger once; a {@code kill -9} and a
 * restart on the same data dir repeat nothing.
 */
class MonitoringServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    record Post(String id, String timestamp, String signature, String body) {}

    @Test
    void anAlertIsDeliveredSignedAndTriggersOnceAcrossAKillAndRestart(@TempDir Path root) throws Exception {
        List<Post> posts = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            posts.add(new Post(ex.getRequestHeaders().getFirst("webhook-id"), ex.getRequestHeaders().getFirst("webhook-timestamp"),
                    ex.getRequestHeaders().getFirst("webhook-signature"), new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        Files.writeString(root.resolve("oncall.secret"), "the-oncall-secret\n");
        Path channels = Files.writeString(root.resolve("channels.yaml"), "oncall:\n  url: http://127.0.0.1:"
                + receiver.getAddress().getPort() + "/hook\n  secret_file: oncall.secret\n");
        List<String> extra = List.of("--channels", channels.toString());
        Path pipelines = Cli.fixture("monitoring-loop");
        try {
            String watchRun;
            try (ServerProcess server = new ServerProcess(root, pipelines, extra)) {
                watchRun = post(server, "/api/pipelines/watch/runs", "{\"params\": {\"value\": 0.9}}").get("id").asText();
                await().atMost(Duration.ofSeconds(60)).until(() -> runs(server, "after").size() == 1
                        && "SUCCEEDED".equals(runs(server, "after").get(0).path("status").asText()) && posts.size() == 1);
                JsonNode alerts = get(server, "/api/alerts?pipeline=watch").get("alerts");
                assertThat(alerts).hasSize(1);
                assertThat(alerts.get(0).get("message").asText()).isEqualTo("drift <b>0.9</b>");
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        "delivered".equals(get(server, "/api/alerts?pipeline=watch").get("alerts").get(0).get("deliveries").get(0).get("state").asText()));
                JsonNode train = runs(server, "train").get(0);
                assertThat(train.get("trigger").asText()).isEqualTo("alert");
                JsonNode after = get(server, "/api/runs/" + runs(server, "after").get(0).get("id").asText());
                assertThat(after.get("trigger").get("type").asText()).isEqualTo("pipeline");
                assertThat(after.get("trigger").get("run_id").asText()).isEqualTo(train.get("id").asText());
                assertThat(get(server, "/api/runs/" + watchRun).get("alerts").get(0).get("severity").asText()).isEqualTo("critical");
                server.kill();
            }
            Post p = posts.get(0);
            assertThat(p.signature()).isEqualTo(Webhook.signature("the-oncall-secret".getBytes(StandardCharsets.UTF_8), p.id(),
                    Long.parseLong(p.timestamp()), p.body()));

            try (ServerProcess again = new ServerProcess(root, pipelines, extra)) {
                await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() ->
                        runs(again, "train").size() == 1 && runs(again, "after").size() == 1 && posts.size() == 1);
            }
        } finally {
            receiver.stop(0);
        }
    }

    private List<JsonNode> runs(ServerProcess server, String pipeline) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        get(server, "/api/runs?pipeline=" + pipeline).forEach(out::add);
        return out;
    }

    private JsonNode get(ServerProcess server, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private JsonNode post(ServerProcess server, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }
}
