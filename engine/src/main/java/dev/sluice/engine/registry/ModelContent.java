package dev.sluice.engine.registry;

import dev.sluice.worker.protocol.Artifact;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What a model version holds: one file, or a folder's files. Pure.
 *
 * @param kind   {@code file} or {@code folder}
 * @param sha256 the file's hash, or the folder's {@link #manifestHash}
 * @param files  sorted by path; a file version's one entry is named after the file
 */
public record ModelContent(String kind, String sha256, long size, List<ModelFile> files) {

    public ModelContent {
        files = List.copyOf(files);
    }

    /**
     * The content of a declared output among a step's stored outputs: the file at {@code output}, or
     * every file under {@code output/}. Empty when there is neither (the step wrote no such output).
     */
    public static Optional<ModelContent> of(String output, List<Artifact> outputs) {
        String path = normalize(output);
        for (Artifact a : outputs) {
            if (a.path().equals(path)) {
                String name = path.substring(path.lastIndexOf('/') + 1);
                return Optional.of(new ModelContent("file", a.sha256(), a.size(),
                        List.of(new ModelFile(name, a.sha256(), a.size()))));
            }
        }
        List<ModelFile> files = new ArrayList<>();
        for (Artifact a : outputs) {
            if (a.path().startsWith(path + "/")) files.add(new ModelFile(a.path().substring(path.length() + 1), a.sha256(), a.size()));
        }
        if (files.isEmpty()) return Optional.empty();
        files.sort(Comparator.comparing(ModelFile::path));
        long size = files.stream().mapToLong(ModelFile::size).sum();
        return Optional.of(new ModelContent("folder", manifestHash(files), size, files));
    }

    /**
     * A folder's hash: the sha256 of its manifest, one line {@code <sha256>  <path>\n} per file sorted
     * by path (what {@code sha256sum} prints, so it can be checked by hand).
     */
    public static String manifestHash(List<ModelFile> files) {
        StringBuilder manifest = new StringBuilder();
        files.stream().sorted(Comparator.comparing(ModelFile::path))
                .forEach(f -> manifest.append(f.sha256()).append("  ").append(f.path()).append('\n'));
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(manifest.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String normalize(String output) {
        String p = output.replace('\\', '/');
        while (p.startsWith("./")) p = p.substring(2);
        while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p.replaceAll("/+", "/").replace("/./", "/");
    }
}
