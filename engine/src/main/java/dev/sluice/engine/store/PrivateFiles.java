package dev.sluice.engine.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Keeps the data dir and the embedded database's files (data, lock file, password, trace) readable
 * by their owner only: the lock file names the database's port and key, and the data files hold
 * every pipeline and log. H2 creates its files with the process's umask (often 022); they are
 * narrowed when the store opens, and the folder itself is 0700, so no other user can reach in
 * between. A no-op where the file system has no POSIX permissions.
 */
final class PrivateFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {}

    /** chmod 700 the folder and 600 the database's files in it; what cannot be changed (not ours) is left as is. */
    static void restrict(Path dataDir) {
        if (!POSIX || !Files.isDirectory(dataDir)) return;
        set(dataDir, "rwx------");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dataDir, entry -> {
            String name = entry.getFileName().toString();
            return name.startsWith(Stores.H2_FILE + ".") || name.startsWith(H2Password.FILE);
        })) {
            for (Path f : files) if (Files.isRegularFile(f)) set(f, "rw-------");
        } catch (IOException e) {
            // the folder is 0700 already: nobody else can open what is inside
        }
    }

    private static void set(Path p, String mode) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // owned by another user, or a file system without modes: nothing we can do
        }
    }
}
