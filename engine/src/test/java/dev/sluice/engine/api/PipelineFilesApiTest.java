package dev.sluice.engine.api;

import static dev.sluice.engine.api.ApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline declared by a file of the pipelines folder is saved back to its file (atomic
 * replace: no temporary file left), and a save over a file changed on disk since the text was
 * read is refused with both texts; versions read one by one.
 */
class PipelineFilesApiTest {

    ApiServer api;
    Path file;
    String original;

    @BeforeEach
    void start(@TempDir Path root) throws IOException {
        api = new ApiServer(root);
        file = api.pipelinesDir.resolve("hello.yaml");
        original = Files.readString(file);
    }

    @org.junit.jupiter.api.AfterEach
    void stop() {
        api.close();
    }

    @Test
    void savingAPipelineFromTheFolderWritesItsFileAndSaysWhere() throws IOException {
        JsonNode loaded = json(api.get("/api/pipelines/hello"));
        assertThat(loaded.get("file").asText()).isEqualTo("pipelines/hello.yaml");
        String edited = original.replace("who: world", "who: sluice");

        HttpResponse<String> r = api.put("/api/pipelines/hello?base_sha256=" + loaded.get("sha256").asText(), "application/yaml", edited);

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(json(r).get("file").asText()).isEqualTo("pipelines/hello.yaml");
        assertThat(Files.readString(file)).isEqualTo(edited);
        try (Stream<Path> list = Files.list(api.pipelinesDir)) {
            assertThat(list.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void refusesToOverwriteAFileChangedOnDiskAndGivesBothTexts() throws IOException {
        String sha = json(api.get("/api/pipelines/hello")).get("sha256").asText();
        String onDisk = original.replace("times: 1", "times: 3");
        Files.writeString(file, onDisk);
        String mine = original.replace("who: world", "who: sluice");

        HttpResponse<String> r = api.put("/api/pipelines/hello?base_sha256=" + sha, "application/yaml", mine);

        assertThat(r.statusCode()).isEqualTo(409);
        JsonNode body = json(r);
        assertThat(body.get("error").asText()).isEqualTo("file-changed");
        assertThat(body.get("file").asText()).isEqualTo("pipelines/hello.yaml");
        assertThat(body.get("file_text").asText()).isEqualTo(onDisk);
        assertThat(body.get("text").asText()).isEqualTo(mine);
        assertThat(Files.readString(file)).isEqualTo(onDisk);
        assertThat(json(api.get("/api/pipelines/hello")).get("version").asInt()).isEqualTo(1);

        // the user chose: overwrite
        HttpResponse<String> forced = api.put("/api/pipelines/hello?force=true", "application/yaml", mine);
        assertThat(forced.statusCode()).isEqualTo(201);
        assertThat(Files.readString(file)).isEqualTo(mine);
    }

    @Test
    void takingTheFilesVersionIsSavingWithItsSha() throws IOException {
        String onDisk = original.replace("times: 1", "times: 3");
        Files.writeString(file, onDisk);
        HttpResponse<String> r = api.put("/api/pipelines/hello?base_sha256=" + PipelineFiles.sha256(onDisk), "application/yaml",
                onDisk.replace("who: world", "who: both"));
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(Files.readString(file)).contains("times: 3", "who: both");
    }

    @Test
    void aPipelineNotFromTheFolderIsSavedInTheStoreOnly() throws IOException {
        HttpResponse<String> r = api.put("/api/pipelines/elsewhere", "application/yaml", "name: elsewhere\nsteps:\n  - id: a\n    run: echo a\n");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(json(r).get("file").isNull()).isTrue();
        assertThat(api.pipelinesDir.resolve("elsewhere.yaml")).doesNotExist();
    }

    @Test
    void eachVersionReadsWithItsText() {
        api.put("/api/pipelines/hello?force=true", "application/yaml", original.replace("times: 1", "times: 2"));
        JsonNode v1 = json(api.get("/api/pipelines/hello/versions/1"));
        JsonNode v2 = json(api.get("/api/pipelines/hello/versions/2"));
        assertThat(v1.get("text").asText()).isEqualTo(original);
        assertThat(v2.get("text").asText()).contains("times: 2");
        assertThat(api.get("/api/pipelines/hello/versions/9").statusCode()).isEqualTo(404);
        assertThat(api.get("/api/pipelines/hello/versions/x").statusCode()).isEqualTo(400);
    }
}
