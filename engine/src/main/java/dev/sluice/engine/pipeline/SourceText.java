package dev.sluice.engine.pipeline;

import dev.sluice.engine.pipeline.YamlNode.YamlScalar;

/**
 * The text of a pipeline file, to point inside a scalar: from a char offset in a scalar's value
 * to the line and column in the file. Exact for plain and quoted one-line scalars and for literal
 * blocks ({@code |}); for other multi-line forms, the scalar's start.
 */
final class SourceText {

    private final String text;
    private String[] lines;

    SourceText(String text) {
        this.text = text;
    }

    Location locate(YamlScalar s, int offset) {
        return offset < 0 ? s.location() : shift(s.location(), s, offset);
    }

    private Location shift(Location start, YamlScalar s, int offset) {
        String value = s.text();
        if (offset > value.length()) return start;
        boolean oneLine = s.endLine() == start.line() && value.indexOf('\n') < 0;
        switch (s.style()) {
            case ' ' -> {
                if (oneLine) return at(start, start.line(), start.column() + offset);
            }
            case '\'', '"' -> {
                if (oneLine) {
                    int col = quotedColumn(start, s.style(), offset);
                    if (col > 0) return at(start, start.line(), col);
                }
            }
            case '|' -> {
                return literal(start, value, offset);
            }
            default -> {
            }
        }
        return start;
    }

    /** Walks the raw quoted text from the opening quote, one value char at a time. */
    private int quotedColumn(Location start, char quote, int offset) {
        String line = line(start.line());
        if (line == null) return -1;
        int i = start.column(); // 1-based column of the quote is index column-1; content starts at column
        int v = 0;
        while (v < offset && i < line.length()) {
            char c = line.charAt(i);
            if (quote == '\'' && c == '\'' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
                i += 2;
            } else if (quote == '"' && c == '\\') {
                return -1; // escapes: too many forms to follow
            } else {
                i++;
            }
            v++;
        }
        return i + 1;
    }

    private Location literal(Location start, String value, int offset) {
        int lineInValue = 0;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (value.charAt(i) == '\n') {
                lineInValue++;
                lineStart = i + 1;
            }
        }
        int fileLine = start.line() + 1 + lineInValue;
        int indent = blockIndent(start.line() + 1);
        if (indent < 0) return start;
        return at(start, fileLine, indent + 1 + (offset - lineStart));
    }

    private int blockIndent(int firstLine) {
        for (int l = firstLine; ; l++) {
            String line = line(l);
            if (line == null) return -1;
            if (line.isBlank()) continue;
            int n = 0;
            while (n < line.length() && line.charAt(n) == ' ') n++;
            return n;
        }
    }

    private static Location at(Location start, int line, int column) {
        return new Location(start.file(), line, column);
    }

    private String line(int oneBased) {
        if (lines == null) lines = text.split("\r\n|\r|\n", -1);
        return oneBased >= 1 && oneBased <= lines.length ? lines[oneBased - 1] : null;
    }
}
