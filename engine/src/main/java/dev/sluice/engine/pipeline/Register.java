package dev.sluice.engine.pipeline;

import java.util.List;
import java.util.Objects;

/**
 * A {@code register:} block: the engine registers an upstream output as a new model version
 * (no process runs).
 *
 * @param fromStep   a step in {@code needs}
 * @param fromOutput one of that step's declared outputs (a file or a folder)
 * @param metrics    names copied from the {@code from} step's metrics; null copies all of them
 * @param aliases    set on the new version
 * @param promote    null when absent
 */
public record Register(String model, String fromStep, String fromOutput, List<String> metrics, List<String> aliases,
        Promote promote) {

    /**
     * Move {@code alias} to the new version when {@code condition} holds (or when no version holds it).
     *
     * @param condition the bare expression; null means always
     */
    public record Promote(String alias, String condition) {
        public Promote {
            Objects.requireNonNull(alias, "alias");
        }
    }

    public Register {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(fromStep, "fromStep");
        Objects.requireNonNull(fromOutput, "fromOutput");
        metrics = metrics == null ? null : List.copyOf(metrics);
        aliases = List.copyOf(aliases == null ? List.of() : aliases);
    }

    /** {@code from} as written: {@code step/output}. */
    public String from() {
        return fromStep + "/" + fromOutput;
    }
}
