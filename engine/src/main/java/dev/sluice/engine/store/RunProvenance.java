package dev.sluice.engine.store;

import dev.sluice.engine.registry.PinnedModel;
import java.util.List;
import java.util.Map;

/**
 * Where a run comes from besides its pipeline version and params: the run it reruns, the code it
 * ran ({@code code.CodeVersion} as JSON values) and the model versions it pinned at its start.
 *
 * @param code empty when it was not recorded (runs from before V6)
 */
public record RunProvenance(String runId, String rerunOf, Map<String, Object> code, List<PinnedModel> models) {

    public RunProvenance {
        code = code == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(code));
        models = List.copyOf(models == null ? List.of() : models);
    }
}
