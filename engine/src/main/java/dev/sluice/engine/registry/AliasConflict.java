package dev.sluice.engine.registry;

/** A compare-and-set alias move found the alias elsewhere than expected: nothing was changed. */
public final class AliasConflict extends RuntimeException {

    private final transient Integer currentVersion;

    public AliasConflict(String model, String alias, Integer currentVersion, Expected expected) {
        super(message(alias, currentVersion, expected));
        this.currentVersion = currentVersion;
    }

    /** Where the alias is now; null when it does not exist. */
    public Integer currentVersion() {
        return currentVersion;
    }

    private static String message(String alias, Integer current, Expected expected) {
        if (current == null) {
            return alias + " does not exist" + (expected instanceof Expected.At at ? " (expected at version " + at.version() + ")" : "");
        }
        return alias + " is at version " + current + ", not " + (expected instanceof Expected.At at ? at.version() : "absent");
    }
}
