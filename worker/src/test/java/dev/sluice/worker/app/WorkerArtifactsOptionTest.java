package dev.sluice.worker.app;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice-worker --artifacts}: only an object store is shared with the servers. */
class WorkerArtifactsOptionTest {

    @Test
    void refusesAFolderAsTheSharedStore() {
        StringWriter err = new StringWriter();

        int code = WorkerMain.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true), Map.of(),
                "--join", "127.0.0.1:1", "--artifacts", "/mnt/artifacts");

        assertThat(code).isEqualTo(WorkerMain.INVALID);
        assertThat(err.toString()).contains("--artifacts /mnt/artifacts: a worker shares only an object store (s3://bucket/prefix)");
    }

    @Test
    void refusesABadPathStyleSetting() {
        StringWriter err = new StringWriter();

        int code = WorkerMain.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true), Map.of("SLUICE_S3_PATH_STYLE", "maybe"),
                "--join", "127.0.0.1:1", "--artifacts", "s3://bucket/x");

        assertThat(code).isEqualTo(WorkerMain.INVALID);
        assertThat(err.toString()).contains("SLUICE_S3_PATH_STYLE must be true or false, not 'maybe'");
    }
}
