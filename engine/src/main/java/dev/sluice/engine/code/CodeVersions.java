package dev.sluice.engine.code;

import dev.sluice.engine.pipeline.Pipeline;
import dev.sluice.engine.pipeline.Step;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures a run's {@link CodeVersion} when it starts. The git part uses JGit (the engine then
 * needs no {@code git} binary on the server, and its answers do not depend on the user's git
 * configuration or version); a pipeline outside any work tree, or a repository JGit cannot read,
 * gives {@code git: null} and a debug line, never a failed run.
 */
public final class CodeVersions {

    private static final Logger log = LoggerFactory.getLogger(CodeVersions.class);

    private CodeVersions() {}

    /**
     * @param pipeline its {@code baseDir} is the folder of the pipeline file: the work tree is looked
     *                 up from there, and cache_files paths are relative to it (through each step's workdir)
     */
    public static CodeVersion capture(Pipeline pipeline, int version, String sha256) {
        return new CodeVersion(version, sha256, git(pipeline.baseDir()), files(pipeline));
    }

    /** As {@link #capture(Pipeline, int, String)}, with the git part read already (say while the store opened). */
    public static CodeVersion capture(Pipeline pipeline, int version, String sha256, CodeVersion.Git git) {
        return new CodeVersion(version, sha256, git, files(pipeline));
    }

    /** The sha256 of each step's {@code cache_files}, by path relative to the pipeline's folder. */
    static Map<String, String> files(Pipeline pipeline) {
        Path base = pipeline.baseDir();
        Map<String, String> files = new TreeMap<>();
        for (Step step : pipeline.steps()) {
            Path workdir = step.workdir() == null ? base : base.resolve(step.workdir()).normalize();
            for (String f : step.cacheFiles()) {
                Path file = workdir.resolve(f).normalize();
                String key = file.startsWith(base) ? slashes(base.relativize(file)) : f;
                files.computeIfAbsent(key, k -> hash(file));
            }
        }
        return files;
    }

    /** HEAD and the dirty flag of the work tree holding {@code dir}; null outside one. */
    public static CodeVersion.Git git(Path dir) {
        if (dir == null) return null;
        FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(dir.toFile());
        if (builder.getGitDir() == null) return null;
        try (Repository repo = builder.build()) {
            if (repo.isBare()) return null;
            ObjectId head = repo.resolve("HEAD");
            if (head == null) return null; // no commit yet
            Status status = org.eclipse.jgit.api.Git.wrap(repo).status().call();
            return new CodeVersion.Git(head.name(), status.hasUncommittedChanges());
        } catch (Exception | LinkageError e) {
            log.debug("no git version for {}: {}", dir, e.toString());
            return null;
        }
    }

    /** A file's sha256; a folder's covers every file under it (paths and contents); "missing" when absent. */
    public static String hash(Path file) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            if (Files.isDirectory(file)) {
                List<Path> all;
                try (var walk = Files.walk(file)) {
                    all = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : all) {
                    md.update((slashes(file.relativize(f)) + "\0" + hash(f) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            } else {
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buf = new byte[65536];
                    for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            return "missing";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String slashes(Path p) {
        StringBuilder sb = new StringBuilder();
        for (Path part : p) {
            if (sb.length() > 0) sb.append('/');
            sb.append(part);
        }
        return sb.toString();
    }
}
