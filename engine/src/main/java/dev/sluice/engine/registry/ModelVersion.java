package dev.sluice.engine.registry;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One immutable version of a model.
 *
 * @param sha256 the artifact's hash for a file, the folder manifest's ({@link ModelContent#manifestHash}) for a folder
 * @param kind   {@code file} or {@code folder}
 * @param size   bytes, summed over a folder's files
 * @param code   the code version of the run that registered it (as run JSON shows it); empty when unknown
 * @param files  every artifact the version needs, by path
 */
public record ModelVersion(
        String model,
        int version,
        String sha256,
        String kind,
        long size,
        Instant createdAt,
        String runId,
        String taskId,
        Integer attempt,
        String pipeline,
        Integer pipelineVersion,
        Map<String, Object> params,
        Map<String, Object> matrix,
        Map<String, Double> metrics,
        Map<String, Object> code,
        String description,
        Map<String, String> tags,
        List<ModelFile> files) {

    public ModelVersion {
        params = copy(params);
        matrix = copy(matrix);
        metrics = copy(metrics);
        code = copy(code);
        tags = copy(tags);
        files = List.copyOf(files == null ? List.of() : files);
    }

    static <V> Map<String, V> copy(Map<String, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m == null ? Map.of() : m));
    }

    public ModelRef ref() {
        return new ModelRef(model, null, version);
    }
}
