package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --artifacts}: a folder or {@code s3://bucket/prefix}; anything else is refused before the store opens. */
class ArtifactsOptionTest {

    @TempDir
    Path dir;

    @Test
    void refusesALocationThatIsNeitherAFolderNorS3() {
        Cli.Result r = new Cli(dir.resolve("data")).run("runs", "--artifacts", "gs://bucket/x");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--artifacts gs://bucket/x: give s3://bucket/prefix or a folder");
    }

    @Test
    void refusesABucketNameS3DoesNotAllow() {
        Cli.Result r = new Cli(dir.resolve("data")).run("runs", "--artifacts", "s3://Not_A_Bucket/x");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("not a bucket name: 'Not_A_Bucket'");
    }

    @Test
    void keepsOutputsInTheFolderItNames() throws Exception {
        Path pipeline = Files.writeString(dir.resolve("p.yaml"), "name: p\nsteps:\n  - id: a\n    outputs: [hello.txt]\n"
                + "    run: echo hello > \"$SLUICE_OUTPUTS/hello.txt\"\n");

        Cli.Result r = new Cli(dir.resolve("data")).run("run", pipeline.toString(), "--json", "--artifacts", dir.resolve("elsewhere").toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        String sha = r.step("a").get("outputs").get(0).get("sha256").asText();
        assertThat(dir.resolve("elsewhere").resolve(sha.substring(0, 2)).resolve(sha)).hasContent("hello");
        assertThat(dir.resolve("data/artifacts").resolve(sha.substring(0, 2)).resolve(sha)).doesNotExist();
    }
}
