package dev.sluice.engine.api;

import static dev.sluice.engine.api.ApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A server with a token: what needs it, what does not, and the paths that try to slip past it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BearerAuthTest {

    private static final String TOKEN = "s3cret-token-of-the-test";

    ApiServer api;

    @BeforeAll
    void start(@TempDir Path root) {
        api = new ApiServer(root, TOKEN);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void refusesAnApiCallWithoutATokenWith401Json() {
        HttpResponse<String> r = api.get("/api/runs");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
        assertThat(json(r).get("error").asText()).isEqualTo("unauthorized");
        assertThat(json(r).get("message").asText()).contains("Authorization: Bearer");
        assertThat(r.headers().firstValue("Content-Security-Policy")).contains("default-src 'self'");
    }

    @Test
    void guardsTheRegistryAndLineageLikeTheRestOfTheApi() {
        for (String path : new String[] {"/api/models", "/api/models/m", "/api/models/m/versions/1/content", "/api/lineage?model=m@x",
                "/api/runs/r/diff/s"}) {
            assertThat(api.get(path).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(api.put("/api/models/m/aliases/champion", "application/json", "{\"version\": 1}").statusCode()).isEqualTo(401);
        assertThat(api.post("/api/runs/r/rerun", "application/json", "{}").statusCode()).isEqualTo(401);
    }

    @Test
    void refusesAWrongTokenAndAnotherScheme() {
        for (String header : new String[] {"Bearer wrong", "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1), "Basic " + TOKEN,
                TOKEN, "Bearer", "Bearer "}) {
            HttpResponse<String> r = api.send(api.request("/api/runs").header("Authorization", header).GET());
            assertThat(r.statusCode()).as(header).isEqualTo(401);
            assertThat(json(r).get("error").asText()).isEqualTo("unauthorized");
        }
    }

    @Test
    void acceptsTheTokenWhateverTheCaseOfTheScheme() {
        for (String scheme : new String[] {"Bearer ", "bearer ", "BEARER "}) {
            HttpResponse<String> r = api.send(api.request("/api/runs").header("Authorization", scheme + TOKEN).GET());
            assertThat(r.statusCode()).as(scheme).isEqualTo(200);
        }
    }

    @Test
    void leavesTheHealthCheckTheDocumentationAndTheDesignerOpen() {
        for (String path : new String[] {"/api/health", "/api/openapi.yaml", "/api/docs", "/api/docs/swagger-ui.css",
                "/api/docs/index.css", "/api/docs/swagger-ui-bundle.js", "/api/docs/swagger-initializer.js", "/api/schema/pipeline.json",
                "/", "/index.html"}) {
            assertThat(api.get(path).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void guardsTheMetrics() {
        assertThat(api.get("/metrics").statusCode()).isEqualTo(401);
        assertThat(api.send(api.request("/metrics").header("Authorization", "Bearer " + TOKEN).GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void guardsEveryMethodOfAnOpenPathButGet() throws IOException {
        assertThat(raw("HEAD", "/api/health").status()).isEqualTo(401);
        assertThat(raw("POST", "/api/health").status()).isEqualTo(401);
        assertThat(raw("DELETE", "/api/openapi.yaml").status()).isEqualTo(401);
        assertThat(raw("HEAD", "/api/runs").status()).isEqualTo(401);
        assertThat(raw("OPTIONS", "/api/runs").status()).isEqualTo(401);
    }

    /** Each is a way to reach a guarded route while the check sees an open path: every one is refused. */
    @ParameterizedTest
    @ValueSource(strings = {
        "/api/health/../runs",
        "/api/health/%2e%2e/runs",
        "/api/health/%2E%2E/runs",
        "/api/health/.%2e/runs",
        "/api/docs/../runs",
        "/api/docs/swagger-ui.css/../../runs",
        "/api/docs/./../runs",
        "/api/health;/../runs",
        "/api/health%2f..%2fruns",
        "/api//runs",
        "//api/runs",
        "/API/runs",
        "/Api/Runs",
        "/API/HEALTH/../runs",
        "/api/runs/",
        "/api/runs;x=1",
        "/api/runs;/api/health",
        "/api/runs?/api/health",
        "/api/runs?x=/api/health",
        "/api/runs/%2e%2e/health/../runs",
        "/api/health/",
        "/api/health;",
        "/api/health.json",
        "/api/healthz",
        "/api/docs/",
        "/api/docs/oauth2-redirect.html",
        "/api/docs/swagger-ui.js",
        "/api/docs/x/../../runs",
        "/api/openapi.yaml/../runs",
        "/metrics/",
        "/METRICS",
        "/metrics;x",
        "/./api/runs",
        "/x/../api/runs",
        "/%61pi/runs",
    })
    void refusesAPathTrickWithoutAToken(String target) throws IOException {
        Raw r = raw("GET", target);

        assertThat(r.status()).as(target).isEqualTo(401);
        assertThat(r.body()).as(target).contains("\"unauthorized\"");
    }

    @Test
    void sendsADoublyEncodedPathToTheDesignersFilesWhichHaveNone() throws IOException {
        // %25 is not decoded by the router: this is no API path, it is a file the designer does not have
        Raw r = raw("GET", "/%2561pi/runs");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).contains("\"not-found\"").doesNotContain("pipeline");
    }

    @Test
    void refusesAGuardedRouteSentInAbsoluteForm() throws IOException {
        assertThat(raw("GET", "http://127.0.0.1:" + api.port + "/api/runs").status()).isEqualTo(401);
        assertThat(raw("GET", "http://127.0.0.1:" + api.port + "/api/health/../runs").status()).isEqualTo(401);
    }

    @Test
    void readsAnUnauthenticatedBodyNoFurtherThanTheCheck() {
        HttpResponse<String> r = api.put("/api/pipelines/sneaky", "application/yaml", "name: sneaky\nsteps:\n  - id: a\n    run: echo hi\n");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(api.send(api.request("/api/pipelines/sneaky").header("Authorization", "Bearer " + TOKEN).GET()).statusCode())
                .isEqualTo(404);
    }

    private record Raw(int status, String body) {}

    /** A request written by hand, so no client normalises the target first. */
    private Raw raw(String method, String target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String statusLine = in.readLine();
            int length = 0;
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).strip());
            }
            StringBuilder body = new StringBuilder();
            if (!method.equals("HEAD")) {
                char[] buf = new char[8192];
                for (int n; body.length() < length && (n = in.read(buf)) > 0; ) body.append(buf, 0, n);
            }
            return new Raw(Integer.parseInt(statusLine.split(" ")[1]), body.toString());
        }
    }
}
