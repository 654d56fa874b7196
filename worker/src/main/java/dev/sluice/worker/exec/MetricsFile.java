package dev.sluice.worker.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Parses {@code $SLUICE_METRICS}: each line is {@code name value} or a JSON object of
 * name -> number; later values override earlier ones. An integer {@code step} key in a JSON line is
 * the x-axis of its values (spec v1.1, metric series), not a metric.
 *
 * <p>Names match {@code [A-Za-z_][A-Za-z0-9_.-]*} (at most 128 characters); values are finite
 * decimal numbers ({@code 0.93}, {@code -1e-3}; not {@code NaN}, {@code Infinity} or hex).
 * A malformed line, or a malformed entry of a JSON line, is ignored with a warning: metrics are
 * reporting, and a typo in one of them does not fail a step that did its work. The first
 * {@value #MAX_WARNINGS} warnings are reported, then one saying how many more were ignored.
 * Only the first {@value #MAX_BYTES} bytes of the file are read. A missing file means no metrics.
 */
final class MetricsFile {

    static final int MAX_BYTES = 1024 * 1024;
    static final int MAX_WARNINGS = 20;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern BLANKS = Pattern.compile("\\s+");
    /** In a JSON line, an integer {@code step} is the x-axis of the line's values (a series), not a metric. */
    static final String STEP_KEY = "step";

    private final ObjectMapper json;

    MetricsFile(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param warn receives one-line warnings about ignored lines
     */
    Map<String, Double> read(Path file, Consumer<String> warn) throws IOException {
        if (!file.toFile().isFile()) { // no exception thrown inside when it is missing, the usual case
            return Map.of();
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        String text;
        if (bytes.length > MAX_BYTES) {
            warn.accept("metrics file larger than " + MAX_BYTES + " bytes: the rest is ignored");
            int end = MAX_BYTES;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            text = new String(bytes, 0, end, StandardCharsets.UTF_8);
        } else {
            text = new String(bytes, StandardCharsets.UTF_8);
        }
        return parse(text, warn);
    }

    Map<String, Double> parse(String text, Consumer<String> warn) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        Warnings warnings = new Warnings(warn);
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int number = i + 1;
            if (line.startsWith("{")) {
                parseJson(line, number, metrics, warnings);
            } else {
                parsePair(line, number, metrics, warnings);
            }
        }
        warnings.finish();
        return metrics;
    }

    private static void parsePair(String line, int number, Map<String, Double> metrics, Warnings warnings) {
        String[] parts = BLANKS.split(line);
        if (parts.length != 2) {
            warnings.add(number, "expected `name value` or a JSON object of name -> number", line);
        } else if (!NAME.matcher(parts[0]).matches()) {
            warnings.add(number, "bad metric name", line);
        } else if (!NUMBER.matcher(parts[1]).matches() || !Double.isFinite(Double.parseDouble(parts[1]))) {
            warnings.add(number, "value is not a finite number", line);
        } else {
            metrics.put(parts[0], Double.parseDouble(parts[1]));
        }
    }

    private void parseJson(String line, int number, Map<String, Double> metrics, Warnings warnings) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (JsonProcessingException e) {
            warnings.add(number, "not a JSON object", line);
            return;
        }
        if (node == null || !node.isObject()) {
            warnings.add(number, "not a JSON object", line);
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals(STEP_KEY) && value.isIntegralNumber()) {
                continue; // v1.1: the x-axis of a series point, not a metric
            }
            if (!NAME.matcher(name).matches()) {
                warnings.add(number, "bad metric name", name);
            } else if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                warnings.add(number, "value of " + name + " is not a finite number", value.toString());
            } else {
                metrics.put(name, value.doubleValue());
            }
        }
    }

    /** Counts warnings and reports the first few. */
    private static final class Warnings {
        private final Consumer<String> sink;
        private int count;

        Warnings(Consumer<String> sink) {
            this.sink = sink;
        }

        void add(int line, String reason, String text) {
            if (++count <= MAX_WARNINGS) {
                String shown = text.length() > 100 ? text.substring(0, 100) + "…" : text;
                sink.accept("metrics line " + line + " ignored: " + reason + ": " + shown);
            }
        }

        void finish() {
            if (count > MAX_WARNINGS) {
                sink.accept((count - MAX_WARNINGS) + " more malformed metrics entries ignored");
            }
        }
    }
}
