package dev.sluice.engine.registry;

import java.util.Objects;

/**
 * A reference to a model version: {@code NAME@ALIAS} (moves with the alias) or {@code NAME:VERSION}
 * (fixed). Exactly one of {@code alias} and {@code version} is set.
 */
public record ModelRef(String model, String alias, Integer version) {

    public ModelRef {
        Objects.requireNonNull(model, "model");
        if ((alias == null) == (version == null)) throw new IllegalArgumentException("give an alias or a version");
    }

    /**
     * Parses a reference.
     *
     * @throws IllegalArgumentException with a message fit for a user when it is not one
     */
    public static ModelRef parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("a model reference cannot be empty: write NAME@ALIAS or NAME:VERSION");
        int at = text.indexOf('@');
        int colon = text.indexOf(':');
        if (at > 0 && colon < 0) {
            String model = text.substring(0, at);
            String alias = text.substring(at + 1);
            check(Names.modelProblem(model));
            check(Names.aliasProblem(alias));
            return new ModelRef(model, alias, null);
        }
        if (colon > 0 && at < 0) {
            String model = text.substring(0, colon);
            String number = text.substring(colon + 1);
            check(Names.modelProblem(model));
            int version;
            try {
                version = Integer.parseInt(number);
            } catch (NumberFormatException e) {
                version = 0;
            }
            if (version < 1 || !number.matches("[0-9]{1,9}")) {
                throw new IllegalArgumentException("bad model version '" + Names.shown(number) + "': a version is a whole number from 1");
            }
            return new ModelRef(model, null, version);
        }
        throw new IllegalArgumentException("bad model reference '" + Names.shown(text) + "': write NAME@ALIAS or NAME:VERSION");
    }

    private static void check(String problem) {
        if (problem != null) throw new IllegalArgumentException(problem);
    }

    @Override
    public String toString() {
        return alias != null ? model + "@" + alias : model + ":" + version;
    }
}
