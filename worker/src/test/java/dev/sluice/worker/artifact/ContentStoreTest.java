package dev.sluice.worker.artifact;

import dev.sluice.worker.protocol.Artifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContentStoreTest {

    /** sha256 of "hello\n". */
    private static final String HELLO = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    @TempDir
    Path temp;

    private ContentStore store() {
        return new ContentStore(temp.resolve("store"));
    }

    @Test
    void storesUnderTheHashOfTheContent() throws Exception {
        ContentStore store = store();

        Artifact a = store.put("extract", "data/raw.txt", Files.writeString(temp.resolve("f"), "hello\n"));

        assertThat(a).isEqualTo(new Artifact("extract", "data/raw.txt", HELLO, 6));
        assertThat(store.path(HELLO)).isEqualTo(temp.resolve("store").resolve("58").resolve(HELLO));
        assertThat(store.contains(HELLO)).isTrue();
        assertThat(Files.readString(store.path(HELLO))).isEqualTo("hello\n");
    }

    @Test
    void writesNothingNewForContentAlreadyStored() throws Exception {
        ContentStore store = store();
        store.put("a", "x", Files.writeString(temp.resolve("f1"), "hello\n"));
        var inode = Files.readAttributes(store.path(HELLO), "unix:ino").get("ino");

        Artifact again = store.put("b", "y", Files.writeString(temp.resolve("f2"), "hello\n"));

        assertThat(again.sha256()).isEqualTo(HELLO);
        assertThat(Files.readAttributes(store.path(HELLO), "unix:ino").get("ino")).isEqualTo(inode);
        try (Stream<Path> files = Files.walk(temp.resolve("store"))) {
            assertThat(files.filter(Files::isRegularFile)).containsExactly(store.path(HELLO));
        }
    }

    @Test
    void storesAnEmptyFile() throws Exception {
        Artifact a = store().put("a", "empty", Files.createFile(temp.resolve("empty")));

        assertThat(a.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(a.size()).isZero();
    }

    @Test
    void materializesACopyThatAStepCannotUseToChangeTheStore() throws Exception {
        ContentStore store = store();
        store.put("a", "x", Files.writeString(temp.resolve("f"), "hello\n"));
        Path target = temp.resolve("inputs/extract/deep/file.txt");

        store.materialize(HELLO, target);
        store.materialize(HELLO, target);
        target.toFile().setWritable(true);
        Files.writeString(target, "tampered\n", java.nio.file.StandardOpenOption.APPEND);

        assertThat(Files.isSameFile(target, store.path(HELLO))).isFalse();
        assertThat(Files.readString(store.path(HELLO))).isEqualTo("hello\n");
    }

    @Test
    void refusesToMaterializeUnknownContent() {
        String unknown = "0".repeat(64);

        assertThat(store().contains(unknown)).isFalse();
        assertThatThrownBy(() -> store().materialize(unknown, temp.resolve("t"))).isInstanceOf(NoSuchFileException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "", "abc", "5891B5B522D5DF086D0FF0B110FBD9D21BB4FC7163AF34D08286A2E846F6BE03",
            "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be0", "../../../../../../../../../../../../../../etc/passwd/x",
            "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be0g"})
    void rejectsIdsThatAreNotLowerCaseHexSha256(String id) {
        ContentStore store = store();

        assertThat(ContentStore.isSha256(id)).isFalse();
        assertThatThrownBy(() -> store.path(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.contains(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.materialize(id, temp.resolve("t"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsANullId() {
        assertThat(ContentStore.isSha256(null)).isFalse();
        assertThatThrownBy(() -> store().path(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
