package dev.sluice.engine.pipeline;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed, valid pipeline.
 *
 * @param params      in file order
 * @param schedule    {@code null} when the pipeline has none
 * @param baseDir     the folder of the pipeline file: step workdirs are relative to it
 * @param triggers    (v1.1) events that start a run of it
 * @param alerts      (v1.1) evaluated when a run of it ends
 */
public record Pipeline(
        String name,
        String description,
        Map<String, Param> params,
        Schedule schedule,
        int concurrency,
        Map<String, String> env,
        List<Step> steps,
        Path baseDir,
        List<EventTrigger> triggers,
        List<AlertRule> alerts) {

    public static final int DEFAULT_CONCURRENCY = 16;

    public Pipeline {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params == null ? Map.of() : params));
        env = Map.copyOf(env == null ? Map.of() : env);
        steps = List.copyOf(steps);
        baseDir = baseDir == null ? Path.of(".").toAbsolutePath().normalize() : baseDir;
        if (concurrency < 1) throw new IllegalArgumentException("concurrency < 1");
        triggers = List.copyOf(triggers == null ? List.of() : triggers);
        alerts = List.copyOf(alerts == null ? List.of() : alerts);
    }

    /** A pipeline without triggers or alerts. */
    public Pipeline(String name, String description, Map<String, Param> params, Schedule schedule, int concurrency,
            Map<String, String> env, List<Step> steps, Path baseDir) {
        this(name, description, params, schedule, concurrency, env, steps, baseDir, List.of(), List.of());
    }

    public Step step(String id) {
        for (Step s : steps) if (s.id().equals(id)) return s;
        throw new IllegalArgumentException("no step " + id);
    }
}
