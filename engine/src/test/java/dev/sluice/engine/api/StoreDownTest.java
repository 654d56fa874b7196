package dev.sluice.engine.api;

import static dev.sluice.engine.api.ApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreDownTest {

    @Test
    void answers503WithAOneLineMessageWhenTheDatabaseIsGoneAndKeepsServing(@TempDir Path root) {
        try (ApiServer api = new ApiServer(root)) {
            api.store.close();

            HttpResponse<String> r = api.get("/api/pipelines");

            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(json(r).get("error").asText()).isEqualTo("unavailable");
            assertThat(json(r).get("message").asText()).startsWith("cannot read from the store").doesNotContain("\n", "\tat ");
            // the server still answers, and its health says the store does not
            HttpResponse<String> health = api.get("/api/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(json(health).get("status").asText()).isEqualTo("unavailable");
            assertThat(json(health).get("message").asText()).startsWith("the database does not answer");
        }
    }
}
