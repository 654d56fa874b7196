package dev.sluice.engine.layout;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a layouter lays out: boxes of known size in a stable order and the edges between them.
 * The order matters: where the layering leaves a choice, earlier boxes go higher.
 */
public record Graph(List<Box> boxes, List<Link> links) {

    /** A box to place. */
    public record Box(String id, int width, int height) {
        public Box {
            Objects.requireNonNull(id, "id");
            if (width <= 0 || height <= 0) throw new IllegalArgumentException("box " + id + " has no size");
        }
    }

    /** An edge from one box to another. */
    public record Link(String from, String to) {
        public Link {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    public Graph {
        boxes = List.copyOf(boxes);
        links = List.copyOf(links);
        Set<String> ids = new HashSet<>();
        for (Box b : boxes) if (!ids.add(b.id())) throw new IllegalArgumentException("duplicate box " + b.id());
        for (Link l : links) {
            if (!ids.contains(l.from()) || !ids.contains(l.to())) {
                throw new IllegalArgumentException("edge " + l.from() + " -> " + l.to() + " names an unknown box");
            }
        }
    }
}
