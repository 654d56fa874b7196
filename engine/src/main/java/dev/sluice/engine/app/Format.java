package dev.sluice.engine.app;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Small text helpers for the command line's tables. */
final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Format() {}

    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1_000) return ms + "ms";
        if (ms < 60_000) return String.format("%.1fs", ms / 1000.0);
        if (ms < 3_600_000) return (ms / 60_000) + "m" + (ms / 1000 % 60) + "s";
        return (ms / 3_600_000) + "h" + (ms / 60_000 % 60) + "m";
    }

    static String duration(Instant start, Instant end) {
        if (start == null) return "-";
        return duration(Duration.between(start, end == null ? Instant.now() : end));
    }

    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    static String metrics(Map<String, Double> m) {
        return m.entrySet().stream().map(e -> e.getKey() + "=" + number(e.getValue())).collect(Collectors.joining(" "));
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        if (Double.isNaN(v) || Double.isInfinite(v)) return Double.toString(v);
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** Left-aligned columns, two spaces apart. */
    static String table(List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) w[i] = header.get(i).length();
        for (List<String> r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header, w);
        for (List<String> r : rows) appendRow(sb, r, w);
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] w) {
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            sb.append(c);
            if (i < cells.size() - 1) sb.append(" ".repeat(w[i] - c.length() + 2));
        }
        sb.append('\n');
    }
}
