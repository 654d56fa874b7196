package dev.sluice.engine.layout;

final class LayerLayouter {
    private final Spacing spacing;
    LayerLayouter(Spacing spacing) { this.spacing = spacing; }
    Layout layout(Graph graph) { throw new UnsupportedOperationException(); }
}
