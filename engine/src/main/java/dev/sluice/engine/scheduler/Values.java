package dev.sluice.engine.scheduler;

/** How param and matrix values are written into environment variables. */
final class Values {
    private Values() {}

    static String text(Object v) {
        return v == null ? "" : v.toString();
    }
}
