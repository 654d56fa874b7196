package dev.sluice.worker.artifact;

import dev.sluice.worker.protocol.Artifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@link ArtifactStore} contract, written once and run against the folder and the S3 store. */
abstract class ArtifactStoreContract {

    /** sha256 of "hello\n". */
    static final String HELLO = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    @TempDir
    Path temp;

    /** A new, empty store; every call in one test gives a view of the same contents. */
    abstract ArtifactStore store() throws Exception;

    @Test
    void aPutContentIsThereUnderItsHash() throws Exception {
        try (ArtifactStore store = store()) {
            Artifact a = store.put("extract", "data/raw.txt", Files.writeString(temp.resolve("f"), "hello\n"));

            assertThat(a).isEqualTo(new Artifact("extract", "data/raw.txt", HELLO, 6));
            assertThat(store.contains(HELLO)).isTrue();
            assertThat(Files.readString(store.localFile(HELLO))).isEqualTo("hello\n");
            store.materialize(HELLO, temp.resolve("in/extract/data/raw.txt"));
            assertThat(Files.readString(temp.resolve("in/extract/data/raw.txt"))).isEqualTo("hello\n");
        }
    }

    @Test
    void putsAreIdempotent() throws Exception {
        try (ArtifactStore store = store()) {
            Artifact first = store.put("a", "x", Files.writeString(temp.resolve("f1"), "hello\n"));
            Artifact second = store.put("b", "y", Files.writeString(temp.resolve("f2"), "hello\n"));

            assertThat(second.sha256()).isEqualTo(first.sha256());
            List<ArtifactStore.Stored> all = new ArrayList<>();
            store.list(all::add);
            assertThat(all).containsExactly(new ArtifactStore.Stored(HELLO, 6));
        }
    }

    @Test
    void tellsWhichOfManyContentsIsMissing() throws Exception {
        try (ArtifactStore store = store()) {
            store.put("a", "x", Files.writeString(temp.resolve("f1"), "hello\n"));
            String absent = "0".repeat(64);

            assertThat(store.firstMissing(List.of(HELLO, HELLO))).isEmpty();
            assertThat(store.firstMissing(List.of())).isEmpty();
            assertThat(store.firstMissing(List.of(HELLO, HELLO, absent, HELLO))).contains(absent);
        }
    }

    @Test
    void aMissingContentIsNotFound() throws Exception {
        try (ArtifactStore store = store()) {
            assertThat(store.contains(HELLO)).isFalse();
            assertThatThrownBy(() -> store.localFile(HELLO)).isInstanceOf(NoSuchFileException.class);
            assertThatThrownBy(() -> store.materialize(HELLO, temp.resolve("x"))).isInstanceOf(NoSuchFileException.class);
            assertThat(temp.resolve("x")).doesNotExist();
        }
    }

    @Test
    void refusesIdsThatAreNotHashes() throws Exception {
        try (ArtifactStore store = store()) {
            for (String bad : List.of("../../etc/passwd", HELLO.toUpperCase(), HELLO.substring(1), "")) {
                assertThatThrownBy(() -> store.contains(bad)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> store.localFile(bad)).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void listsAndDeletesContents() throws Exception {
        try (ArtifactStore store = store()) {
            store.put("a", "x", Files.writeString(temp.resolve("f1"), "hello\n"));
            Artifact bye = store.put("a", "y", Files.writeString(temp.resolve("f2"), "bye\n"));
            List<ArtifactStore.Stored> all = new ArrayList<>();
            store.list(all::add);
            assertThat(all).containsExactlyInAnyOrder(new ArtifactStore.Stored(HELLO, 6), new ArtifactStore.Stored(bye.sha256(), 4));

            assertThat(store.delete(HELLO)).isTrue();
            assertThat(store.delete(HELLO)).isFalse();

            assertThat(store.contains(HELLO)).isFalse();
            assertThatThrownBy(() -> store.localFile(HELLO)).isInstanceOf(NoSuchFileException.class);
            assertThat(store.contains(bye.sha256())).isTrue();
        }
    }
}
