package dev.sluice.engine.registry;

import java.util.List;
import java.util.Map;

/**
 * A version to register: its content ({@link ModelContent}) and where it came from. The number is
 * given by the registry. A register step that registers again (its engine restarted between the
 * registry's commit and its own) gets the version it made the first time.
 */
public record NewVersion(
        String model,
        ModelContent content,
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
        Map<String, String> tags) {

    public NewVersion {
        params = ModelVersion.copy(params);
        matrix = ModelVersion.copy(matrix);
        metrics = ModelVersion.copy(metrics);
        code = ModelVersion.copy(code);
        tags = ModelVersion.copy(tags);
        String problem = Names.modelProblem(model);
        if (problem != null) throw RegistryException.badRequest(problem);
    }

    public List<ModelFile> files() {
        return content.files();
    }
}
