package dev.sluice.worker.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code sluice_step.py}, the Python step helper (a resource beside this class), on every step's
 * {@code PYTHONPATH}: written once per executor into {@code python/} of its workspace's own folder
 * (deleted with it) and appended after the step's own {@code PYTHONPATH} entries, which win. {@code SLUICE_PYTHON_HELPER=0} in a
 * step's environment (its pipeline's or step's {@code env:}, or the worker's own) leaves it out.
 */
final class PythonHelper {

    static final String MODULE = "sluice_step.py";
    static final String SWITCH = "SLUICE_PYTHON_HELPER";

    private PythonHelper() {}

    /** Writes the module into {@code parent/python/} unless an identical copy is there; returns that folder. */
    static Path install(Path parent) {
        byte[] content = content();
        Path dir = parent.toAbsolutePath().normalize().resolve("python");
        Path file = dir.resolve(MODULE);
        try {
            if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), content)) return dir;
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, MODULE, ".part");
            try {
                Files.write(temp, content);
                try {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("r--r--r--"));
                } catch (UnsupportedOperationException e) {
                    temp.toFile().setReadOnly();
                }
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Python step helper under " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Appends the helper's folder to the environment's {@code PYTHONPATH}, unless switched off there. */
    static void addTo(Map<String, String> env, Path folder) {
        if (folder == null || "0".equals(env.getOrDefault(SWITCH, "").strip())) return;
        String existing = env.get("PYTHONPATH");
        env.put("PYTHONPATH", existing == null || existing.isBlank() ? folder.toString() : existing + java.io.File.pathSeparator + folder);
    }

    static byte[] content() {
        try (InputStream in = PythonHelper.class.getResourceAsStream(MODULE)) {
            if (in == null) throw new IllegalStateException("missing from the jar: " + MODULE);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
