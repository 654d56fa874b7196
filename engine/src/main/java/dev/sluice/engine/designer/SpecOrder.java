package dev.sluice.engine.designer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order keys are written in, as the spec's own examples and the example pipelines write them:
 * a step's {@code id}, then what it waits for and whether it runs ({@code needs}, {@code if},
 * {@code matrix}), then what it does ({@code run}...), then how ({@code retries}...).
 */
enum SpecOrder {
    PIPELINE("name", "description", "params", "schedule", "concurrency", "defaults", "env", "steps"),
    STEP("id", "needs", "if", "matrix", "models", "run", "register", "workdir", "env", "outputs", "retries", "retry_delay",
            "timeout", "worker", "cache", "cache_files"),
    SCHEDULE("cron", "timezone", "catchup"),
    DEFAULTS("retries", "retry_delay", "timeout", "worker"),
    /** A map whose keys are the user's (params, env, matrix): kept in the order given. */
    FREE;

    /** The fields {@code setStepField} may set ({@code id} changes through {@code renameStep}). */
    static final List<String> STEP_FIELDS = List.of("run", "needs", "workdir", "env", "outputs", "retries",
            "retry_delay", "timeout", "worker", "if", "matrix", "cache", "cache_files", "register", "models");
    /** The fields {@code setPipelineField} may set ({@code steps} change through the step ops). */
    static final List<String> PIPELINE_FIELDS = List.of("name", "description", "params", "schedule", "concurrency",
            "defaults", "env");

    private final List<String> keys;

    SpecOrder(String... keys) {
        this.keys = List.of(keys);
    }

    /** The rank of a key; -1 for a key this order does not know. */
    int rank(String key) {
        return keys.indexOf(key);
    }

    /** Known keys in rank order, then the others as given. */
    List<String> sort(List<String> given) {
        List<String> known = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String k : given) (rank(k) >= 0 ? known : other).add(k);
        known.sort(Comparator.comparingInt(this::rank));
        known.addAll(other);
        return known;
    }

    /** How the values of a map of this kind are ordered. */
    SpecOrder child(String key) {
        return switch (this) {
            case PIPELINE -> switch (key) {
                case "schedule" -> SCHEDULE;
                case "defaults" -> DEFAULTS;
                case "steps" -> STEP;
                default -> FREE;
            };
            default -> FREE;
        };
    }
}
