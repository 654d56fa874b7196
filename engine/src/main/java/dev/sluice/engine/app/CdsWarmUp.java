package dev.sluice.engine.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * {@code sluice --cds-warm-up} (hidden; scripts/sluice runs it once after each build, under
 * {@code -XX:DumpLoadedClassList}): goes through what the short commands load, so that the static
 * class-data sharing archive the launcher then dumps from that list covers them all, not only the
 * command that happened to come first. In a temporary folder made a git work tree (a run reads its
 * pipeline's git commit): {@code validate}, {@code run} of a two-step pipeline, {@code runs},
 * {@code show}, {@code logs}, and {@code --help} (every command added). Prints nothing; the folder is
 * deleted.
 */
final class CdsWarmUp {

    static final String OPTION = "--cds-warm-up";

    private CdsWarmUp() {}

    static int run() {
        Path dir;
        try {
            dir = Files.createTempDirectory("sluice-cds-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        try {
            Path file = dir.resolve("warm-up.yaml");
            Files.writeString(file, "name: warm-up\nsteps:\n  - {id: a, run: \"true\"}\n  - {id: b, run: \"true\", needs: [a]}\n",
                    StandardCharsets.UTF_8);
            try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
                git.add().addFilepattern("warm-up.yaml").call();
                PersonIdent who = new PersonIdent("sluice", "sluice@localhost");
                git.commit().setMessage("warm-up").setAuthor(who).setCommitter(who).setSign(false).call();
            }
            String data = dir.resolve("data").toString();
            String pipeline = file.toString();
            int status = Main.execute(nowhere, nowhere, "validate", pipeline);
            status |= Main.execute(nowhere, nowhere, "run", pipeline, "--data-dir", data, "--slots", "2");
            status |= Main.execute(nowhere, nowhere, "runs", "--data-dir", data);
            status |= Main.execute(nowhere, nowhere, "show", "--data-dir", data, "2"); // a run id's prefix
            status |= Main.execute(nowhere, nowhere, "logs", "--data-dir", data, "2", "a");
            Main.execute(nowhere, nowhere, "--help");
            return status == 0 ? 0 : Main.ERROR;
        } catch (IOException | GitAPIException e) {
            return Main.ERROR;
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp folder left behind: nothing to report from a warm-up
        }
    }
}
