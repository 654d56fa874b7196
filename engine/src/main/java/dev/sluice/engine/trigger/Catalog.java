package dev.sluice.engine.trigger;

import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.Pipeline;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.store.PipelineState;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pipeline versions parsed once each (by name and version); not thread-safe, one owner thread. */
final class Catalog {

    /** A version that validates, with its plan. */
    record Parsed(PipelineVersion version, Pipeline pipeline, Plan plan) {}

    private final Store store;
    private final Path baseDir;
    private final Map<String, Optional<Parsed>> cache = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<Parsed>> eldest) {
            return size() > 512;
        }
    };

    Catalog(Store store, Path baseDir) {
        this.store = store;
        this.baseDir = baseDir;
    }

    Optional<Parsed> version(String name, int version) {
        return cache.computeIfAbsent(name + ":" + version, k -> store.pipelineVersion(name, version).flatMap(this::parse));
    }

    /** The latest version of every pipeline neither deleted nor paused that validates. */
    List<Parsed> active() {
        List<Parsed> out = new ArrayList<>();
        for (PipelineState s : store.pipelineStates()) {
            if (s.paused() || s.deletedAt() != null) continue;
            version(s.name(), s.latestVersion()).ifPresent(out::add);
        }
        return out;
    }

    private Optional<Parsed> parse(PipelineVersion v) {
        ParseResult r = PipelineLoader.parse(v.name() + ".yaml", v.text(), baseDir);
        if (!r.ok()) return Optional.empty();
        return Optional.of(new Parsed(v, r.pipeline(), Planner.plan(r.pipeline())));
    }
}
