package dev.sluice.engine.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * A text with {@code ${{ expr }}} parts, split into literal text and expressions. An expression
 * ends at the first {@code }}} that is not inside a string literal, so {@code ${{ "}}" }}} works.
 */
public record Template(String source, List<Part> parts) {

    /** A piece of a template. */
    public sealed interface Part permits Text, Expr {
    }

    /** Literal text, copied as is. */
    public record Text(String text) implements Part {
    }

    /**
     * An expression.
     *
     * @param expression the text between {@code ${{} and {@code }}}, trimmed
     * @param offset     the char index in the template where {@code expression} starts
     */
    public record Expr(String expression, int offset) implements Part {
    }

    private static final String OPEN = "${{";

    public Template {
        parts = List.copyOf(parts);
    }

    /** True when the text holds {@code ${{} at all: anything else needs no expression engine. */
    public static boolean hasExpressions(String text) {
        return text != null && text.contains(OPEN);
    }

    /**
     * Splits a template.
     *
     * @throws ExpressionException with the offset of the {@code ${{} that is not closed, or of an
     *                             empty expression
     */
    public static Template parse(String source) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            int open = source.indexOf(OPEN, i);
            if (open < 0) {
                parts.add(new Text(source.substring(i)));
                break;
            }
            if (open > i) parts.add(new Text(source.substring(i, open)));
            int start = open + OPEN.length();
            int close = findClose(source, start);
            if (close < 0) throw new ExpressionException("'${{' is not closed by '}}'", open);
            int from = start;
            int to = close;
            while (from < to && Character.isWhitespace(source.charAt(from))) from++;
            while (to > from && Character.isWhitespace(source.charAt(to - 1))) to--;
            if (from == to) throw new ExpressionException("empty expression '${{ }}'", open);
            parts.add(new Expr(source.substring(from, to), from));
            i = close + 2;
        }
        return new Template(source, parts);
    }

    /**
     * The expression of an {@code if:}: either {@code ${{ expr }}} alone, or a bare expression.
     *
     * @throws ExpressionException when the text mixes {@code ${{ }}} with other text, or is empty
     */
    public static Expr condition(String text) {
        if (text == null || text.isBlank()) throw new ExpressionException("empty condition", 0);
        if (!hasExpressions(text)) {
            int from = 0;
            int to = text.length();
            while (Character.isWhitespace(text.charAt(from))) from++;
            while (Character.isWhitespace(text.charAt(to - 1))) to--;
            return new Expr(text.substring(from, to), from);
        }
        Template t = parse(text);
        Expr only = null;
        for (Part p : t.parts()) {
            if (p instanceof Expr e) {
                if (only != null) throw new ExpressionException("a condition is one expression: write it bare, or as one ${{ }}", e.offset());
                only = e;
            } else if (!((Text) p).text().isBlank()) {
                throw new ExpressionException("a condition is one expression: write it bare, or as one ${{ }}",
                        text.indexOf(((Text) p).text().strip()));
            }
        }
        return only;
    }

    public boolean isConstant() {
        for (Part p : parts) if (p instanceof Expr) return false;
        return true;
    }

    public List<Expr> expressions() {
        List<Expr> list = new ArrayList<>();
        for (Part p : parts) if (p instanceof Expr e) list.add(e);
        return list;
    }

    /**
     * Where the {@code }}} closing an expression that starts at {@code from} is, quotes inside
     * skipped; -1 when none.
     */
    public static int findClose(String s, int from) {
        char quote = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '}' && i + 1 < s.length() && s.charAt(i + 1) == '}') {
                return i;
            }
        }
        // an unbalanced quote inside: fall back to the first }} so the user sees the CEL error
        return quote != 0 ? s.indexOf("}}", from) : -1;
    }
}
