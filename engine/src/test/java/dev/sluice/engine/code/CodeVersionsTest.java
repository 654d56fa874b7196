package dev.sluice.engine.code;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.PipelineLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeVersionsTest {

    @TempDir
    Path dir;

    private static final String PIPELINE = """
            name: p
            steps:
              - id: a
                run: python3 a.py
                cache_files: [a.py, data/table.csv, gone.txt]
              - id: b
                workdir: sub
                run: python3 b.py
                cache_files: [b.py]
            """;

    private CodeVersion capture(Path folder) throws Exception {
        ParseResult parsed = PipelineLoader.parse("p.yaml", PIPELINE, folder);
        assertThat(parsed.problems()).isEmpty();
        return CodeVersions.capture(parsed.pipeline(), 4, "f".repeat(64));
    }

    @Test
    void recordsTheCommitTheDirtyFlagAndTheHashOfEachCacheFile() throws Exception {
        Path repo = dir.resolve("repo");
        Path pipelines = repo.resolve("pipelines");
        Files.createDirectories(pipelines.resolve("data"));
        Files.createDirectories(pipelines.resolve("sub"));
        Files.writeString(pipelines.resolve("a.py"), "print('a')\n");
        Files.writeString(pipelines.resolve("data/table.csv"), "x,y\n1,2\n");
        Files.writeString(pipelines.resolve("sub/b.py"), "print('b')\n");
        String commit;
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            commit = git.commit().setMessage("first").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org")
                    .setSign(false).call().name();
        }

        CodeVersion clean = capture(pipelines);
        assertThat(clean.git()).isEqualTo(new CodeVersion.Git(commit, false));
        assertThat(clean.files()).containsOnlyKeys("a.py", "data/table.csv", "gone.txt", "sub/b.py");
        assertThat(clean.files().get("gone.txt")).isEqualTo("missing");
        assertThat(clean.files().get("a.py")).isEqualTo(CodeVersions.hash(pipelines.resolve("a.py")));

        Files.writeString(pipelines.resolve("untracked.txt"), "new\n");
        assertThat(capture(pipelines).git().dirty()).as("untracked files do not count").isFalse();
        Files.writeString(pipelines.resolve("data/table.csv"), "x,y\n1,3\n");
        CodeVersion dirty = capture(pipelines);
        assertThat(dirty.git()).isEqualTo(new CodeVersion.Git(commit, true));
        assertThat(dirty.files().get("data/table.csv")).isNotEqualTo(clean.files().get("data/table.csv"));

        assertThat(CodeVersion.fromJson(dirty.toJson())).isEqualTo(dirty);
    }

    @Test
    void aPipelineOutsideAnyWorkTreeHasNoGitVersion() throws Exception {
        Path alone = Files.createDirectories(dir.resolve("alone"));
        CodeVersion v = capture(alone);
        assertThat(v.git()).isNull();
        assertThat(v.toJson()).containsEntry("git", null).containsEntry("pipeline_version", 4);
    }
}
