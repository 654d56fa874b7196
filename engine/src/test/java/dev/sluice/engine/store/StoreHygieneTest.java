package dev.sluice.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10, store hygiene: the data dir and the embedded database's files are the owner's only (its port: {@code app.ServerHygieneTest}). */
class StoreHygieneTest {

    @TempDir
    Path root;

    @Test
    void makesTheDataDirAndTheDatabaseFilesOwnerOnly() throws IOException {
        Path data = Files.createDirectories(root.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try (Store store = Stores.open(null, data)) {
            assertThat(mode(data)).isEqualTo("rwx------");
            try (Stream<Path> files = Files.list(data)) {
                List<Path> db = files.filter(f -> f.getFileName().toString().startsWith("sluice.")
                        || f.getFileName().toString().equals("db-password")).toList();
                assertThat(db).extracting(f -> f.getFileName().toString()).contains("sluice.mv.db", "sluice.lock.db", "db-password");
                for (Path f : db) assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
            }
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
