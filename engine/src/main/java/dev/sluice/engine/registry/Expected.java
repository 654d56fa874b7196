package dev.sluice.engine.registry;

/**
 * The compare of an alias's compare-and-set move: where the caller believes the alias is now.
 */
public sealed interface Expected {

    /** Whether an alias now at {@code current} (null: absent) matches. */
    boolean matches(Integer current);

    /** Move whatever the alias holds now. */
    record Any() implements Expected {
        @Override
        public boolean matches(Integer current) {
            return true;
        }
    }

    /** The alias must not exist yet. */
    record Absent() implements Expected {
        @Override
        public boolean matches(Integer current) {
            return current == null;
        }
    }

    /** The alias must point at this version now. */
    record At(int version) implements Expected {
        @Override
        public boolean matches(Integer current) {
            return current != null && current == version;
        }
    }

    static Expected any() {
        return new Any();
    }

    static Expected absent() {
        return new Absent();
    }

    static Expected at(int version) {
        return new At(version);
    }
}
