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
 */
public record Pipeline(
        String name,
        String description,
        Map<String, Param> params,
        Schedule schedule,
        int concurrency,
        Map<String, String> env,
        List<Step> steps,
        Path baseDir) {

    public static final int DEFAULT_CONCURRENCY = 16;

    public Pipeline {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params == null ? Map.of() : params));
        env = Map.copyOf(env == null ? Map.of() : env);
        steps = List.copyOf(steps);
        baseDir = baseDir == null ? Path.of(".").toAbsolutePath().normalize() : baseDir;
        if (concurrency < 1) throw new IllegalArgumentException("concurrency < 1");
    }

    public Step step(String id) {
        for (Step s : steps) if (s.id().equals(id)) return s;
        throw new IllegalArgumentException("no step " + id);
    }
}
