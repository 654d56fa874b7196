package dev.sluice.engine.api;

import static dev.sluice.engine.api.ApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.client.ServerClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fault injection for issue 10's browser attacks: each request a rebound or cross-site page could
 * send is refused and changes nothing, while the designer's, the CLI's and curl's requests work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserDefenceTest {

    private static final String PIPELINE = "name: pwned\nsteps:\n  - id: a\n    run: touch /tmp/sluice-pwned\n";

    ApiServer api;
    String host;

    @BeforeAll
    void start(@TempDir Path root) {
        api = new ApiServer(root);
        host = "Host: 127.0.0.1:" + api.port;
    }

    @AfterAll
    void stop() {
        api.close();
    }

    private RawHttp.Response raw(String method, String target, String body, String... headers) {
        return RawHttp.send(api.port, method, target, body, headers);
    }

    private int runsOf(String pipeline) {
        return json(api.get("/api/runs?pipeline=" + pipeline)).size();
    }

    // ---- DNS rebinding: a page of evil.example whose name now points at 127.0.0.1

    @Test
    void refusesARebindingPageThatSavesAPipelineAndStartsIt() {
        String evil = "Host: evil.example:" + api.port;

        RawHttp.Response put = raw("PUT", "/api/pipelines/pwned", PIPELINE, evil, "Content-Type: application/yaml");
        RawHttp.Response run = raw("POST", "/api/pipelines/hello/runs", "{}", evil, "Content-Type: application/json");

        assertThat(put.status()).isEqualTo(421);
        assertThat(put.header("Content-Type")).startsWith("application/json");
        assertThat(put.body()).contains("\"host-not-allowed\"").contains("--allowed-hosts");
        assertThat(run.status()).isEqualTo(421);
        assertThat(api.get("/api/pipelines/pwned").statusCode()).isEqualTo(404);
        assertThat(runsOf("hello")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/runs", "/api/pipelines", "/api/pipelines/hello", "/", "/index.html", "/metrics",
            "/api/runs/x/events", "/api/health", "/api/openapi.yaml"})
    void refusesARebindingPageThatReads(String path) {
        RawHttp.Response r = raw("GET", path, null, "Host: evil.example:" + api.port);

        assertThat(r.status()).as(path).isEqualTo(421);
        assertThat(r.body()).as(path).contains("\"host-not-allowed\"").doesNotContain("hello");
    }

    @Test
    void refusesARebindingPageEvenWhenTheServerHasAToken(@TempDir Path root) {
        try (ApiServer guarded = new ApiServer(root, "secret-token")) {
            RawHttp.Response r = RawHttp.send(guarded.port, "GET", "/api/runs", null, "Host: evil.example",
                    "Authorization: Bearer secret-token");
            assertThat(r.status()).isEqualTo(421);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1", "[::1]", "LOCALHOST.", "10.1.2.3"})
    void answersTheLoopbackNamesAndAddresses(String name) {
        assertThat(raw("GET", "/api/pipelines", null, "Host: " + name + ":" + api.port).status()).as(name).isEqualTo(200);
    }

    // ---- CSRF: what a page of another site can send without a preflight

    @Test
    void refusesAnEmptyBodyPostFromAnotherSite() {
        RawHttp.Response r = raw("POST", "/api/pipelines/hello/runs", "", host);

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("\"forbidden\"").contains("X-Sluice-Request");
        assertThat(runsOf("hello")).isZero();
    }

    @Test
    void refusesAMultipartTrigger() {
        String body = "--b\r\nContent-Disposition: form-data; name=\"who\"\r\n\r\nx\r\n--b--\r\n";
        RawHttp.Response r = raw("POST", "/api/pipelines/hello/runs", body, host, "Content-Type: multipart/form-data; boundary=b",
                "Origin: http://evil.example");
        RawHttp.Response sameSite = raw("POST", "/api/pipelines/hello/runs", body, host, "Content-Type: multipart/form-data; boundary=b");

        assertThat(r.status()).isIn(403, 415);
        assertThat(sameSite.status()).isEqualTo(415);
        assertThat(sameSite.body()).contains("\"unsupported-media-type\"");
        assertThat(runsOf("hello")).isZero();
    }

    @Test
    void refusesATextPlainCancelAndAFormPause() {
        String id = api.trigger("slow", null);
        try {
            RawHttp.Response cancel = raw("POST", "/api/runs/" + id + "/cancel", "x", host, "Content-Type: text/plain;charset=UTF-8");
            RawHttp.Response retry = raw("POST", "/api/runs/" + id + "/retry", "x", host, "Content-Type: text/plain");
            RawHttp.Response pause = raw("POST", "/api/pipelines/slow/pause", "a=b", host,
                    "Content-Type: application/x-www-form-urlencoded");

            assertThat(cancel.status()).isEqualTo(415);
            assertThat(retry.status()).isEqualTo(415);
            assertThat(pause.status()).isEqualTo(415);
            assertThat(json(api.get("/api/runs/" + id)).get("status").asText()).isIn("QUEUED", "RUNNING");
            assertThat(json(api.get("/api/pipelines/slow")).get("paused").asBoolean()).isFalse();
        } finally {
            assertThat(api.post("/api/runs/" + id + "/cancel", null, null).statusCode()).isEqualTo(202);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example", "https://evil.example:443", "null", "http://127.0.0.1.evil.example",
            "file://", "http://localhost@evil.example"})
    void refusesAForeignOriginEvenWithAJsonBody(String origin) {
        RawHttp.Response r = raw("POST", "/api/pipelines/hello/runs", "{}", host, "Content-Type: application/json",
                "Origin: " + origin);

        assertThat(r.status()).as(origin).isEqualTo(403);
        assertThat(r.header("Access-Control-Allow-Origin")).isNull();
        assertThat(runsOf("hello")).isZero();
    }

    @Test
    void grantsNoCorsPreflight() {
        RawHttp.Response r = raw("OPTIONS", "/api/pipelines/hello/runs", null, host, "Origin: http://evil.example",
                "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: content-type");

        assertThat(r.status()).isGreaterThanOrEqualTo(400);
        assertThat(r.headers().keySet()).noneMatch(h -> h.startsWith("access-control-"));
    }

    @Test
    void forbidsFramingOfTheDesignerAndTheApi() {
        for (String path : new String[] {"/", "/api/pipelines", "/api/docs", "/nothing"}) {
            RawHttp.Response r = raw("GET", path, null, host);
            assertThat(r.header("X-Frame-Options")).as(path).isEqualTo("DENY");
            assertThat(r.header("Content-Security-Policy")).as(path).contains("frame-ancestors 'none'").contains("default-src 'self'");
        }
    }

    // ---- what must keep working

    @Test
    void acceptsTheDesignersRequests() {
        String origin = "Origin: http://127.0.0.1:" + api.port;
        RawHttp.Response put = raw("PUT", "/api/pipelines/designed", "name: designed\nsteps:\n  - id: a\n    run: echo hi\n", host,
                origin, "X-Sluice-Request: 1", "Content-Type: application/yaml");
        RawHttp.Response run = raw("POST", "/api/pipelines/designed/runs", "{}", host, origin, "X-Sluice-Request: 1",
                "Content-Type: application/json");
        RawHttp.Response pause = raw("POST", "/api/pipelines/designed/pause", "", host, origin, "X-Sluice-Request: 1");
        RawHttp.Response unpause = raw("POST", "/api/pipelines/designed/unpause", "", "Host: localhost:" + api.port,
                "Origin: http://localhost:" + api.port, "X-Sluice-Request: 1");

        assertThat(put.status()).as(put.body()).isEqualTo(201);
        assertThat(run.status()).as(run.body()).isEqualTo(201);
        assertThat(pause.status()).as(pause.body()).isEqualTo(200);
        assertThat(unpause.status()).as(unpause.body()).isEqualTo(200);
    }

    @Test
    void acceptsTheCommandLinesAndCurlsRequests() {
        ServerClient cli = new ServerClient("http://127.0.0.1:" + api.port, null, Duration.ofSeconds(5));
        String id = cli.postJson("/api/pipelines/ticker/runs", Map.of()).get("id").asText();
        // curl -X POST -H 'Content-Type: application/json' -d '{}' ...
        RawHttp.Response curl = raw("POST", "/api/pipelines/ticker/runs", "{}", host, "Content-Type: application/json",
                "User-Agent: curl/8.5.0", "Accept: */*");

        assertThat(id).isNotBlank();
        assertThat(curl.status()).as(curl.body()).isEqualTo(201);
    }

    // ---- low items of the issue

    @Test
    void answersHeadOfTheHealthCheck() {
        RawHttp.Response r = raw("HEAD", "/api/health", null, host);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void answersAHugePipelineNameWithJson() {
        RawHttp.Response r = raw("GET", "/api/pipelines/" + "x".repeat(10 * 1024), null, host);

        assertThat(r.status()).isEqualTo(414);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.body()).contains("\"uri-too-long\"");
    }

    @Test
    void refusesAOneMegabyteParamAtTriggerTime() {
        String body = "{\"params\": {\"who\": \"" + "x".repeat(1024 * 1024 - 100) + "\"}}";

        RawHttp.Response r = raw("POST", "/api/pipelines/hello/runs", body, host, "Content-Type: application/json");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("\"bad-params\"").contains("65536 at most");
    }

    @Test
    void closesAConnectionThatNeverFinishesItsHeaders() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("GET /api/health HTTP/1.1\r\n" + host + "\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(1000);
            boolean closed = false;
            // slowloris: one more header byte a second; the server must hang up within its deadline (10 s)
            for (int second = 0; second < 30 && !closed; second++) {
                try {
                    out.write('X');
                    out.flush();
                    closed = in.read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    // the server is still waiting for the headers
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("closed by the server").isTrue();
        }
    }
}
