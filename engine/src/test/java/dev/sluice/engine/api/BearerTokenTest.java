package dev.sluice.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the server's token comes from, and how it is compared. */
class BearerTokenTest {

    @TempDir
    Path dir;

    @Test
    void readsTheTokenFileWithoutItsTrailingNewline() throws IOException {
        assertThat(BearerAuth.load(Files.writeString(dir.resolve("a"), "abc123\n"), null)).contains("abc123");
        assertThat(BearerAuth.load(Files.writeString(dir.resolve("b"), "abc123\r\n"), null)).contains("abc123");
        assertThat(BearerAuth.load(Files.writeString(dir.resolve("c"), "abc123"), null)).contains("abc123");
    }

    @Test
    void prefersTheFileToTheEnvironmentAndHasNoTokenWithoutEither() throws IOException {
        assertThat(BearerAuth.load(Files.writeString(dir.resolve("t"), "from-file\n"), "from-env")).contains("from-file");
        assertThat(BearerAuth.load(null, "from-env")).contains("from-env");
        assertThat(BearerAuth.load(null, null)).isEmpty();
    }

    @Test
    void refusesAnEmptyTokenOrOneNoClientCouldSend() throws IOException {
        assertThatThrownBy(() -> BearerAuth.load(Files.writeString(dir.resolve("e"), "\n"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith("the token is empty");
        assertThatThrownBy(() -> BearerAuth.load(null, "")).hasMessage("SLUICE_TOKEN: the token is empty");
        assertThatThrownBy(() -> BearerAuth.load(Files.writeString(dir.resolve("two"), "one\ntwo\n"), null))
                .hasMessageContaining("one line without spaces");
        assertThatThrownBy(() -> BearerAuth.load(null, "has space")).hasMessageContaining("without spaces");
        assertThatThrownBy(() -> BearerAuth.load(dir.resolve("missing"), null)).hasMessageContaining("cannot read it");
    }

    @Test
    void tellsWhetherOtherUsersCanReadTheFile() throws IOException {
        Path f = Files.writeString(dir.resolve("t"), "x");
        try {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            assertThat(BearerAuth.readableByOthers(f)).isFalse();
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            assertThat(BearerAuth.readableByOthers(f)).isTrue();
        } catch (UnsupportedOperationException e) {
            assertThat(BearerAuth.readableByOthers(f)).isFalse();
        }
    }

    @Test
    void matchesOnlyTheExactToken() {
        BearerAuth auth = new BearerAuth("abc123");

        assertThat(auth.matches("abc123")).isTrue();
        assertThat(auth.matches("abc12")).isFalse();
        assertThat(auth.matches("abc1234")).isFalse();
        assertThat(auth.matches("ABC123")).isFalse();
        assertThat(auth.matches("")).isFalse();
        assertThatThrownBy(() -> new BearerAuth(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
