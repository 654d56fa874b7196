package dev.sluice.engine.registry;

import java.util.Objects;

/**
 * Who moved an alias: a run's register step, an API call or the command line.
 *
 * @param type {@code run}, {@code api} or {@code cli}
 */
public record Actor(String type, String runId, String taskId) {

    public Actor {
        Objects.requireNonNull(type, "type");
        if (!type.equals("run") && !type.equals("api") && !type.equals("cli")) {
            throw new IllegalArgumentException("actor type must be run, api or cli, not " + type);
        }
    }

    public static Actor api() {
        return new Actor("api", null, null);
    }

    public static Actor cli() {
        return new Actor("cli", null, null);
    }

    public static Actor run(String runId, String taskId) {
        return new Actor("run", runId, taskId);
    }
}
