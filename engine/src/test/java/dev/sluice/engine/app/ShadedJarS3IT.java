package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs after {@code package}, against {@code engine/target/sluice.jar}: {@code sluice run --artifacts
 * s3://...} with the endpoint and keys in the standard AWS variables keeps a step's output in the
 * bucket (the AWS SDK works from the shaded jar: its HTTP client, its endpoint rules and its
 * interceptors are found there).
 */
class ShadedJarS3IT {

    @Test
    void theShadedJarKeepsOutputsInAnS3Bucket(@TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("sluice.jar", "target/sluice.jar"));
        assertThat(jar).exists();
        try (S3TestServer s3 = new S3TestServer(Files.createDirectories(dir.resolve("s3")), "artifacts")) {
            Path pipeline = Files.writeString(dir.resolve("p.yaml"), "name: p\nsteps:\n  - id: a\n    outputs: [hello.txt]\n"
                    + "    run: echo hello > \"$SLUICE_OUTPUTS/hello.txt\"\n");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    jar.toString(), "run", pipeline.toString(), "--json", "--data-dir", dir.resolve("data").toString(),
                    "--artifacts", "s3://artifacts/it").redirectError(dir.resolve("run.err").toFile());
            pb.environment().putAll(s3.env());
            Process run = pb.start();
            String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(run.exitValue()).as(out + Files.readString(dir.resolve("run.err"))).isZero();
            JsonNode summary = new ObjectMapper().readTree(out);
            String sha = summary.get("steps").get(0).get("outputs").get(0).get("sha256").asText();
            try (S3Client admin = s3.settings().client()) {
                assertThat(admin.getObjectAsBytes(r -> r.bucket("artifacts").key("it/" + sha.substring(0, 2) + "/" + sha)).asUtf8String())
                        .isEqualTo("hello\n");
            }
        }
    }
}
