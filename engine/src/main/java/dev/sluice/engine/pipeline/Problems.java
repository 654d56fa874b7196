package dev.sluice.engine.pipeline;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one file; every check appends, none stops the others. */
final class Problems {

    private final String file;
    private final List<Problem> list = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    Location at(int line, int column) {
        return new Location(file, line, column);
    }

    void add(Location where, String path, String code, String message) {
        add(where, path, code, message, null);
    }

    void add(Location where, String path, String code, String message, String hint) {
        list.add(new Problem(where, path, code, message, hint));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    int size() {
        return list.size();
    }

    List<Problem> list() {
        return List.copyOf(list);
    }
}
