package dev.sluice.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Workers' uploads: their own token, only for artifacts; stored only under the content's real hash. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterUploadTest {

    static final String API_TOKEN = "api-token";
    private final HttpClient http = HttpClient.newHttpClient();
    ApiServer server;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        server = newServer(root);
    }

    /** The server under test (a subclass puts its artifacts elsewhere). */
    ApiServer newServer(Path root) throws Exception {
        return new ApiServer(root, API_TOKEN);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).header("X-Sluice-Request", "1")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aWorkerUploadsAnOutputAndFetchesItWithItsOwnToken() throws Exception {
        String sha = sha256("model weights\n");

        assertThat(send("PUT", "/api/cluster/artifacts/" + sha, ApiServer.UPLOAD_TOKEN, "model weights\n").statusCode()).isEqualTo(201);
        assertThat(send("PUT", "/api/cluster/artifacts/" + sha, ApiServer.UPLOAD_TOKEN, "model weights\n").statusCode()).isEqualTo(200);

        HttpResponse<String> fetched = send("GET", "/api/artifacts/" + sha, ApiServer.UPLOAD_TOKEN, null);
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo("model weights\n");
    }

    @Test
    void contentThatDoesNotHaveTheNamedHashIsRefused() throws Exception {
        String sha = sha256("what the worker meant");

        HttpResponse<String> r = send("PUT", "/api/cluster/artifacts/" + sha, ApiServer.UPLOAD_TOKEN, "something else");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("hash-mismatch");
        assertThat(send("GET", "/api/artifacts/" + sha, API_TOKEN, null).statusCode()).isEqualTo(404);
    }

    @Test
    void theWorkersTokenOpensArtifactsOnlyAndTheApiTokenDoesNotUpload() throws Exception {
        String sha = sha256("x");

        assertThat(send("PUT", "/api/cluster/artifacts/" + sha, API_TOKEN, "x").statusCode()).isEqualTo(401);
        assertThat(send("PUT", "/api/cluster/artifacts/" + sha, null, "x").statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/runs", ApiServer.UPLOAD_TOKEN, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/cluster", API_TOKEN, null).body()).contains("\"clustered\":true");
    }
}
