package dev.sluice.engine.pipeline;

/** A place in a pipeline file; line and column count from 1. */
public record Location(String file, int line, int column) implements Comparable<Location> {

    public Location {
        file = file == null ? "<input>" : file;
    }

    @Override
    public int compareTo(Location o) {
        int c = file.compareTo(o.file);
        if (c != 0) return c;
        c = Integer.compare(line, o.line);
        return c != 0 ? c : Integer.compare(column, o.column);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
