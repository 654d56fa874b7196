package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a lone server whose step writes 20,000 output files kept losing its own leader lease
 * ({@code Timeout trying to lock table "LEADER_LEASE"}, "no longer leader", a downstream attempt
 * killed as "engine restart"). Its commit held the lease row locked while it wrote every row; now
 * the fence is checked last, rows go in bounded batches, and the lease renews on its own pool.
 * An IT (run by {@code mvn verify}): 20,000 files take 30 s to 100 s here, over a unit test's budget.
 */
class LargeOutputLeaseIT {

    private static final int FILES = 20_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aLoneServerKeepsItsLeaseWhileStoringTwentyThousandOutputs(@TempDir Path root) throws Exception {
        Path pipelines = Files.createDirectories(root.resolve("pipelines"));
        Files.writeString(pipelines.resolve("many.yaml"), """
                name: many
                steps:
                  - id: make
                    run: |
                      mkdir -p "$SLUICE_OUTPUTS/many"
                      cd "$SLUICE_OUTPUTS/many" && seq 1 %d | while read -r i; do echo "$i" > "f$i.txt"; done
                    outputs: [many]
                  - id: count
                    needs: [make]
                    run: test "$(ls "$SLUICE_INPUTS/make/many" | wc -l)" -eq %d
                """.formatted(FILES, FILES));
        HttpClient http = HttpClient.newHttpClient();
        try (ServerProcess server = new ServerProcess(root, pipelines)) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(server.url + "/api/pipelines/many/runs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = MAPPER.readTree(created.body()).get("id").asText();

            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                JsonNode run = MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(server.url + "/api/runs/" + id)).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                return !run.get("status").asText().matches("QUEUED|RUNNING");
            });
            JsonNode run = MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(server.url + "/api/runs/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String log = Files.readString(server.log);
            assertThat(run.get("status").asText()).as(run + "\n" + log).isEqualTo("SUCCEEDED");
            assertThat(log).doesNotContain("no longer leader", "cannot renew the lease", "Timeout trying to lock");
        }
    }
}
