package dev.sluice.engine.pipeline;

import java.util.Objects;

/**
 * A run parameter. Its type is that of its default: {@code String}, {@code Long}, {@code Double}
 * or {@code Boolean}.
 */
public record Param(String name, ParamType type, Object defaultValue) {
    public Param {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
    }
}
