package dev.sluice.engine.api;

import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.store.PipelineVersion;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stored pipeline versions, parsed and planned once: a version's text never changes, so neither
 * does its parse. Runs of one version then share one immutable {@link Plan} instead of each
 * parsing its own (a busy trigger endpoint parsed the same text hundreds of times a second and
 * kept a plan per queued run). Thread-safe; keeps the {@value #SIZE} most recently used.
 */
final class ParsedVersions {

    /** @param plan null when the text has problems */
    record Parsed(ParseResult result, Plan plan) {}

    static final int SIZE = 64;

    private final Path baseDir;
    private final Map<String, Parsed> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Parsed> eldest) {
            return size() > SIZE;
        }
    };

    ParsedVersions(Path baseDir) {
        this.baseDir = baseDir;
    }

    Parsed of(PipelineVersion v) {
        String key = v.name() + "\n" + v.sha256();
        synchronized (recent) {
            Parsed hit = recent.get(key);
            if (hit != null) return hit;
        }
        ParseResult result = PipelineLoader.parse(v.name() + ".yaml", v.text(), baseDir);
        Parsed parsed = new Parsed(result, result.ok() ? Planner.plan(result.pipeline()) : null);
        synchronized (recent) {
            recent.put(key, parsed);
        }
        return parsed;
    }
}
