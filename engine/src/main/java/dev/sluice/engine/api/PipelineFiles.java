package dev.sluice.engine.api;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The files of the pipelines folder as the truth for the pipelines they declare: which file
 * declares a pipeline ({@code name:} of a {@code *.yaml} of the folder), and writing a new text
 * into it by atomic replace (a temporary file in the same folder, then a move over the file), so a
 * reader (the folder watch, an editor, git) sees the old text or the new one, never half of one.
 * A folder without such a file (the data dir of a server without a pipelines folder) declares
 * nothing: saves then live in the store only.
 */
final class PipelineFiles {

    /** A pipeline's file and its text now. */
    record File(Path path, String text) {
        String sha256() {
            return PipelineFiles.sha256(text);
        }
    }

    private final Path folder;

    PipelineFiles(Path folder) {
        this.folder = folder;
    }

    /** The file of the folder declaring {@code name:} this name (the first in file name order), with its text. */
    Optional<File> of(String name) {
        if (folder == null || !Files.isDirectory(folder)) return Optional.empty();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path f : list.filter(p -> p.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(p)).sorted().toList()) {
                String text;
                try {
                    text = Files.readString(f, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    continue;
                }
                if (name.equals(declaredName(text))) return Optional.of(new File(f, text));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the pipelines folder " + folder + ": " + e.getMessage(), e);
        }
        return Optional.empty();
    }

    /** Replaces a file's text atomically, keeping its permissions. */
    void write(Path file, String text) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
            } catch (UnsupportedOperationException | IOException e) {
                // not a POSIX file system: the temporary file's own
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // left behind: a dot file the folder watch ignores (it reads *.yaml only)
                }
            }
        }
    }

    /** The file's name as the designer says it: relative to the folder. */
    String shown(Path file) {
        return folder.getFileName() == null ? file.getFileName().toString()
                : folder.getFileName() + "/" + folder.relativize(file);
    }

    /** The {@code name:} of a pipeline text, or null when it has none or is not YAML. */
    static String declaredName(String text) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(0);
            options.setCodePointLimit(Math.max(text.length() + 16, 3 * 1024 * 1024));
            Node root = new Yaml(options).compose(new StringReader(text));
            if (!(root instanceof MappingNode m)) return null;
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("name") && t.getValueNode() instanceof ScalarNode v) {
                    return v.getValue();
                }
            }
            return null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
