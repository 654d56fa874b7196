package dev.sluice.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registered folder of 10,000 files downloads as one tar stream, written file by file (bounded memory). */
class ModelFolderStreamTest {

    @Test
    void aFolderOfTenThousandFilesStreams(@TempDir Path root) throws IOException {
        try (ApiServer api = new ApiServer(root, null, ApiServer.resource(ModelFolderStreamTest.class, "registry"))) {
            stream(api);
        }
    }

    private static void stream(ApiServer api) throws IOException {
        String run = api.trigger("model-train", "{\"params\": {\"files\": 10000}}");
        // storing 10,000 outputs takes a while on a busy machine: a longer wait than awaitStatus's
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(180)).pollInterval(java.time.Duration.ofMillis(500))
                .until(() -> ApiServer.json(api.get("/api/runs/" + run)).get("status").asText().equals("SUCCEEDED"));
        JsonNode report = ApiServer.json(api.get("/api/runs/" + run));
        int version = 0;
        for (JsonNode s : report.get("steps")) {
            if (s.get("id").asText().equals("register-bundle")) version = s.get("metrics").get("model_version").asInt();
        }
        HttpResponse<InputStream> tar = api.stream(api.request("/api/models/bundle/versions/" + version + "/content").GET());
        assertThat(tar.statusCode()).isEqualTo(200);
        assertThat(ModelsApiTest.countTarEntries(tar.body())).isEqualTo(10_000);
    }

}
