package dev.sluice.engine.store;

/** Where the designer draws a step: canvas coordinates of the node's top-left corner. */
public record Position(double x, double y) {
    public Position {
        if (!Double.isFinite(x) || !Double.isFinite(y)) throw new IllegalArgumentException("position must be finite numbers");
    }
}
