package dev.sluice.worker.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {

    @TempDir
    Path root;

    @Test
    void takesBackAFolderLeftAsItWasGivenAndHandsItOutAgainUnderANewName() throws IOException {
        try (Workspace workspace = new Workspace(root)) {
            AttemptFolder first = workspace.take();
            Object key = Files.readAttributes(first.dir(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            workspace.give(first);

            AttemptFolder second = workspace.take();
            assertThat(second.dir()).isNotEqualTo(first.dir()).hasParent(first.dir().getParent());
            assertThat(first.dir()).doesNotExist(); // a process of the first attempt cannot write into the second's
            assertThat(Files.readAttributes(second.dir(), java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                    .as("the same folder, renamed").isEqualTo(key);
            assertThat(second.outputs()).isEmptyDirectory();
            assertThat(second.inputs()).isEmptyDirectory();
        }
    }

    @Test
    void deletesAFolderAStepChangedInAnyWay() throws IOException {
        try (Workspace workspace = new Workspace(root)) {
            AttemptFolder readOnly = workspace.take();
            readOnly.outputs().toFile().setWritable(false);
            AttemptFolder swapped = workspace.take();
            Files.delete(swapped.inputs());
            Files.createSymbolicLink(swapped.inputs(), root);
            AttemptFolder metrics = workspace.take();
            Files.writeString(metrics.metrics(), "auc 0.9\n");

            for (AttemptFolder f : new AttemptFolder[] {readOnly, swapped, metrics}) {
                workspace.give(f);
                assertThat(f.dir()).doesNotExist();
            }
            assertThat(workspace.take()).isNotIn(readOnly, swapped, metrics);
            assertThat(root).exists(); // the link was deleted, not followed
        }
    }

    @Test
    void deletesItsFoldersWhenClosedAndThoseOfThisHostsProcessesThatAreGone() throws IOException {
        Workspace workspace = new Workspace(root);
        AttemptFolder mine = workspace.take();
        String pool = mine.dir().getParent().getFileName().toString(); // .pool-<host>-<pid>-<random>
        String host = pool.substring(".pool-".length(), pool.lastIndexOf('-', pool.lastIndexOf('-') - 1));
        workspace.give(mine);
        workspace.close();
        Path dead = Files.createDirectories(root.resolve(".pool-" + host + "-" + Long.MAX_VALUE + "-0badf00d").resolve("1").resolve("outputs"));
        Path alive = Files.createDirectories(root.resolve(".pool-" + host + "-" + ProcessHandle.current().pid() + "-12345678").resolve("1"));
        Path elsewhere = Files.createDirectories(root.resolve(".pool-another.host-" + Long.MAX_VALUE + "-12345678").resolve("1"));
        Path other = Files.createDirectories(root.resolve("not-a-pool"));

        new Workspace(root).close();

        assertThat(dead.getParent().getParent()).doesNotExist();
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left).containsExactlyInAnyOrder(alive.getParent(), elsewhere.getParent(), other);
        }
    }
}
