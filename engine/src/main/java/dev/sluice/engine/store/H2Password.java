package dev.sluice.engine.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The embedded database's password. H2's AUTO_SERVER mode serves the file over TCP to the other
 * processes that open it, so the database must not have H2's default empty password: a random one
 * is kept in {@code <data dir>/db-password}, readable by its owner only, and made by whichever
 * process opens a new data dir first. A data dir whose database predates the file keeps the empty
 * password it was created with.
 */
final class H2Password {

    static final String FILE = "db-password";
    private static final java.nio.file.attribute.FileAttribute<?>[] OWNER_ONLY = ownerOnly();

    private H2Password() {}

    static String of(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) return read(file);
            if (Files.exists(dataDir.resolve("sluice.mv.db"))) return "";
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String password = HexFormat.of().formatHex(random);
            Path tmp = Files.createTempFile(dataDir, FILE, ".tmp", OWNER_ONLY);
            try {
                Files.writeString(tmp, password, StandardCharsets.US_ASCII);
                Files.move(tmp, file); // fails if another process made it first
                return password;
            } catch (FileAlreadyExistsException raced) {
                return read(file);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }

    private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly() {
        boolean posix = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        return posix ? new java.nio.file.attribute.FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))} : new java.nio.file.attribute.FileAttribute<?>[0];
    }

    /** Creates a data dir (and its parents) readable by its owner only, when it does not exist yet. */
    static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        boolean posix = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (dir.getParent() != null) Files.createDirectories(dir.getParent());
        try {
            if (posix) Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            else Files.createDirectory(dir);
        } catch (FileAlreadyExistsException raced) {
            // made by another process meanwhile
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
    }
}
