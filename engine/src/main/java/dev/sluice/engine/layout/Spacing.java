package dev.sluice.engine.layout;

/**
 * Gaps of a layout, in pixels.
 *
 * @param padding       around the whole drawing
 * @param nodeNode      between two boxes of one layer (vertically)
 * @param betweenLayers between the boxes of two neighbouring layers (horizontally)
 * @param edgeEdge      between parallel edge segments, and between an edge and a box
 */
public record Spacing(int padding, int nodeNode, int betweenLayers, int edgeEdge) {

    public static final Spacing DEFAULT = new Spacing(16, 24, 56, 10);

    public Spacing {
        if (padding < 0 || nodeNode < 0 || betweenLayers < 0 || edgeEdge < 0) throw new IllegalArgumentException("negative spacing");
    }
}
