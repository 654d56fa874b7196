package dev.sluice.engine.layout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs after {@code package}, against {@code engine/target/sluice.jar}: ELK finds its layered
 * algorithm through {@code META-INF/services} files that the shade plugin has to merge, which no
 * test on the class path can see go wrong.
 */
class ShadedJarLayoutIT {

    @Test
    void theShadedJarLaysOutAGraphWithElk(@TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("sluice.jar", "target/sluice.jar"));
        assertThat(jar).exists();
        Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(pipelines.resolve("fan.yaml"), "name: fan\nsteps:\n  - id: a\n    run: 'true'\n"
                + "  - id: b\n    needs: [a]\n    run: 'true'\n  - id: c\n    needs: [a]\n    run: 'true'\n");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "server", "--port", "0", "--data-dir", dir.resolve("data").toString(), "--pipelines", pipelines.toString())
                .redirectError(dir.resolve("server.err").toFile())
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String base = out.readLine();
            assertThat(base).as("the server's address; its errors: %s", dir.resolve("server.err")).startsWith("http://");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "api/pipelines/fan/graph"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode layout = new ObjectMapper().readTree(r.body()).get("layout");
            assertThat(layout.get("engine").asText()).isEqualTo("elk");
            assertThat(layout.get("nodes")).hasSize(3);
            assertThat(layout.get("edges")).hasSize(2);
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }
}
