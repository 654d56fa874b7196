package dev.sluice.engine.designer;

import dev.sluice.engine.expr.Template;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renames references to a step inside expressions, in a scalar's source text as written:
 * {@code steps.old.metrics.x} and {@code steps["old"]} (or {@code steps['old']}) become the new
 * id. In {@code run} and {@code env} only inside {@code ${{ }}}; an {@code if} without
 * {@code ${{ }}} is an expression as a whole. Ids need no escaping in any YAML style, so the
 * rest of the scalar stays byte for byte.
 */
final class StepRefs {

    private static final String OPEN = "${{";

    private StepRefs() {
    }

    /** @param bare whether text outside {@code ${{ }}} is an expression too (an {@code if} without one) */
    static String rename(String source, String from, String to, boolean bare) {
        if (bare && !source.contains(OPEN)) return renameIn(source, from, to);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int open = source.indexOf(OPEN, i);
            if (open < 0) break;
            int close = Template.findClose(source, open + OPEN.length());
            if (close < 0) break;
            out.append(source, i, open + OPEN.length());
            out.append(renameIn(source.substring(open + OPEN.length(), close), from, to));
            i = close;
        }
        return out.append(source.substring(i)).toString();
    }

    /** A register step's {@code from: STEP/OUTPUT}, as written (plain or quoted): the step part renamed. */
    static String renameFrom(String source, String from, String to) {
        Matcher m = Pattern.compile("^([\"']?)" + Pattern.quote(from) + "/").matcher(source);
        return m.find() ? m.group(1) + to + "/" + source.substring(m.end()) : source;
    }

    private static String renameIn(String expr, String from, String to) {
        String q = Pattern.quote(from);
        Pattern dot = Pattern.compile("(?<![A-Za-z0-9_.])(steps\\s*\\.\\s*)" + q + "(?![A-Za-z0-9_-])");
        Pattern bracket = Pattern.compile("(?<![A-Za-z0-9_.])(steps\\s*\\[\\s*\\\\?[\"'])" + q + "(\\\\?[\"']\\s*\\])");
        String out = dot.matcher(expr).replaceAll("$1" + Matcher.quoteReplacement(to));
        return bracket.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(to) + "$2");
    }
}
