package dev.sluice.engine.code;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The code of one run.
 *
 * @param git   null when the pipeline file lies in no git work tree
 * @param files sha256 of each {@code cache_files} file, by its path relative to the pipeline's
 *              folder ({@code "missing"} for a file that was not there), sorted by path
 */
public record CodeVersion(int pipelineVersion, String pipelineSha256, Git git, Map<String, String> files) {

    /** The work tree's HEAD commit and whether a tracked file differs from it. */
    public record Git(String commit, boolean dirty) {}

    public CodeVersion {
        files = Collections.unmodifiableMap(new TreeMap<>(files == null ? Map.of() : files));
    }

    /** As run JSON shows it: {@code pipeline_version, pipeline_sha256, git {commit, dirty} | null, files}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pipeline_version", pipelineVersion);
        m.put("pipeline_sha256", pipelineSha256);
        if (git == null) {
            m.put("git", null);
        } else {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("commit", git.commit());
            g.put("dirty", git.dirty());
            m.put("git", g);
        }
        m.put("files", new LinkedHashMap<>(files));
        return m;
    }

    /** Reads what {@link #toJson} wrote (and what the store gives back); null for an empty map. */
    public static CodeVersion fromJson(Map<String, Object> m) {
        if (m == null || m.isEmpty()) return null;
        Git git = null;
        if (m.get("git") instanceof Map<?, ?> g && g.get("commit") != null) {
            git = new Git(String.valueOf(g.get("commit")), Boolean.TRUE.equals(g.get("dirty")));
        }
        Map<String, String> files = new TreeMap<>();
        if (m.get("files") instanceof Map<?, ?> f) f.forEach((k, v) -> files.put(String.valueOf(k), String.valueOf(v)));
        int version = m.get("pipeline_version") instanceof Number n ? n.intValue() : 0;
        return new CodeVersion(version, (String) m.get("pipeline_sha256"), git, files);
    }
}
