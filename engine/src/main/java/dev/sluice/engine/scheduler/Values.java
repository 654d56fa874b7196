package dev.sluice.engine.scheduler;

/** How param and matrix values are written into environment variables: as {@code ${{ }}} writes them. */
final class Values {
    private Values() {}

    static String text(Object v) {
        return v == null ? "" : dev.sluice.engine.expr.Values.format(v);
    }
}
