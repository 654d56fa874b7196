package dev.sluice.engine.expr;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** How expression values become text: as a person would write them. */
public final class Values {

    private Values() {
    }

    /**
     * Text of a value: integers as {@code 5000}, doubles as Java writes them ({@code 0.1},
     * {@code 1.0}, {@code 1.0E20}), booleans {@code true}/{@code false}, strings as they are,
     * timestamps in ISO-8601 ({@code 2025-01-02T03:00:00Z}), durations in seconds ({@code 90s}), lists
     * {@code [1, 2]} and maps {@code {"a": 1}} with their strings quoted.
     */
    public static String format(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return s;
        if (v instanceof Double d) return formatDouble(d);
        if (v instanceof Float f) return formatDouble(f.doubleValue());
        if (v instanceof Number || v instanceof Boolean) return v.toString();
        if (v instanceof java.time.Duration d) return formatDuration(d);
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (Iterator<?> it = list.iterator(); it.hasNext();) {
                sb.append(nested(it.next()));
                if (it.hasNext()) sb.append(", ");
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            for (Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator(); it.hasNext();) {
                Map.Entry<?, ?> e = it.next();
                sb.append(nested(e.getKey())).append(": ").append(nested(e.getValue()));
                if (it.hasNext()) sb.append(", ");
            }
            return sb.append('}').toString();
        }
        return v.toString();
    }

    /** As CEL's string() writes a duration: seconds with an {@code s}, e.g. {@code 90s}, {@code 1.5s}. */
    private static String formatDuration(java.time.Duration d) {
        if (d.getNano() == 0) return d.getSeconds() + "s";
        return new java.math.BigDecimal(d.getSeconds()).add(java.math.BigDecimal.valueOf(d.getNano(), 9))
                .stripTrailingZeros().toPlainString() + "s";
    }

    private static String formatDouble(double d) {
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e16) {
            return (long) d + ".0";
        }
        return Double.toString(d);
    }

    private static String nested(Object v) {
        if (v instanceof String s) return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        return format(v);
    }
}
