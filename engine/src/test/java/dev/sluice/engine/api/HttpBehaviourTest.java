package dev.sluice.engine.api;

import static dev.sluice.engine.api.ApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** What every response does: JSON errors with the right status, the body limit, the headers, the designer. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpBehaviourTest {

    private static final long HUNDRED_MB = 100L * 1024 * 1024;

    ApiServer api;

    @BeforeAll
    void start(@TempDir Path root) {
        api = new ApiServer(root);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @AfterEach
    void stillServing() {
        assertThat(api.get("/api/health").statusCode()).isEqualTo(200);
    }

    @Test
    void answersAWrongMethodOnAKnownPathWith405Json() {
        HttpResponse<String> r = api.send(api.request("/api/health").header("X-Sluice-Request", "1").DELETE());

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(json(r).get("error").asText()).isEqualTo("method-not-allowed");
        assertThat(api.send(api.request("/api/runs").header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("x"))).statusCode()).isEqualTo(405);
    }

    @Test
    void answersAnUnknownApiPathWith404Json() {
        HttpResponse<String> r = api.get("/api/nothing/here");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(json(r).get("error").asText()).isEqualTo("not-found");
        assertThat(json(r).get("message").asText()).isNotBlank();
    }

    @Test
    void refusesAnArtifactIdThatIsNotASha256() {
        for (String id : new String[] {"..%2F..%2Fetc%2Fpasswd", "ABC", "0".repeat(63), "%2e%2e%2fdata", "a".repeat(64) + "%00"}) {
            HttpResponse<String> r = api.get("/api/artifacts/" + id);
            assertThat(r.statusCode()).as(id).isEqualTo(400);
            assertThat(json(r).get("error").asText()).isEqualTo("bad-id");
        }
    }

    @Test
    void refusesABodyOverTheLimitByItsLengthWithoutReadingIt() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/pipelines/big HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/yaml\r\n"
                    + "Content-Length: " + HUNDRED_MB + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // no byte of the body is sent: the answer must come from the Content-Length alone
            socket.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("HTTP/1.1 413");
            int length = -1;
            for (String line; !(line = in.readLine()).isEmpty(); ) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).strip());
            }
            char[] body = new char[length];
            for (int read = 0; read < length; ) read += in.read(body, read, length - read);
            assertThat(new String(body)).contains("\"error\":\"too-large\"");
        }
    }

    @Test
    void refusesAStreamedBodyOverTheLimit() {
        HttpRequest.Builder request = api.request("/api/pipelines/big").header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new Zeros(HUNDRED_MB)));

        HttpResponse<String> r = api.send(request);

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("error").asText()).isEqualTo("too-large");
    }

    @Test
    void setsTheSecurityHeadersOnEveryResponse() {
        for (HttpResponse<String> r : java.util.List.of(api.get("/api/health"), api.get("/api/nothing"), api.get("/"))) {
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(r.uri().toString()).contains("nosniff");
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(r.uri().toString())
                    .contains("default-src 'self'; frame-ancestors 'none'");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(r.uri().toString()).contains("DENY");
        }
    }

    @Test
    void servesTheDesignerAtTheRoot() {
        HttpResponse<String> r = api.get("/");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(r.body()).containsIgnoringCase("<html");
        assertThat(r.headers().firstValue("Cache-Control")).isEmpty();
        assertThat(api.get("/index.html").statusCode()).isEqualTo(200);
        assertThat(api.get("/no-such-file.js").statusCode()).isEqualTo(404);
    }

    /** A stream of zero bytes of a given length, so a large body is never held in memory. */
    private static final class Zeros extends InputStream {
        private long left;

        Zeros(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            if (left <= 0) return -1;
            left--;
            return 'a';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) return -1;
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 'a');
            left -= n;
            return n;
        }
    }
}
