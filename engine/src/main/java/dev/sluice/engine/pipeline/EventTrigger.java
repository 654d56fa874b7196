package dev.sluice.engine.pipeline;

import java.util.List;
import java.util.Objects;

/**
 * One item of {@code triggers:}: start a run when another pipeline's run ends with one of
 * {@code statuses}, or when a model alias moves to another version.
 *
 * @param pipeline the pipeline whose run ends (a {@code pipeline} trigger), else null
 * @param statuses the run states that fire it (default {@code [SUCCEEDED]})
 * @param model    the model of a {@code model} trigger, else null
 * @param alias    its alias
 * @param location where the trigger is written (null when built in code)
 */
public record EventTrigger(String pipeline, List<String> statuses, String model, String alias, Location location) {

    public static final List<String> DEFAULT_STATUSES = List.of("SUCCEEDED");

    public EventTrigger {
        statuses = List.copyOf(statuses == null ? List.of() : statuses);
        if ((pipeline == null) == (model == null)) throw new IllegalArgumentException("a trigger is a pipeline or a model trigger");
        if (model != null) Objects.requireNonNull(alias, "alias");
    }

    public static EventTrigger onPipeline(String pipeline, List<String> statuses, Location at) {
        return new EventTrigger(pipeline, statuses.isEmpty() ? DEFAULT_STATUSES : statuses, null, null, at);
    }

    public static EventTrigger onModel(String model, String alias, Location at) {
        return new EventTrigger(null, List.of(), model, alias, at);
    }

    public boolean isPipeline() {
        return pipeline != null;
    }

    /** {@code NAME@ALIAS} for a model trigger. */
    public String modelRef() {
        return model + "@" + alias;
    }
}
