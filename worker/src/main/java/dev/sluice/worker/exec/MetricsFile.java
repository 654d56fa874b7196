package dev.sluice.worker.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.sluice.worker.protocol.MetricPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Parses {@code $SLUICE_METRICS}: each line is {@code name value} or a JSON object of
 * name -> number; later values override earlier ones, and every value is kept, in order, as its
 * name's series. A JSON line's integer {@code step} key is not a metric: it is the x-axis of the
 * values on its line; any other value's step is its position in its series (from 0).
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
    /** The key of a JSON line giving the step (x-axis) of its values. */
    static final String STEP = "step";

    private final ObjectMapper json;

    MetricsFile(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param warn receives one-line warnings about ignored lines
     */
    Map<String, Double> read(Path file, Consumer<String> warn) throws IOException {
        return readSeries(file, warn, Instant.now()).last();
    }

    /**
     * What the file holds: the last value of each name and every value, in file order.
     *
     * @param last  each name's last value
     * @param series every value, stamped with the time it was read
     */
    record Parsed(Map<String, Double> last, List<MetricPoint> series) {
        static final Parsed NONE = new Parsed(Map.of(), List.of());
    }

    /** As {@link #read}, keeping every value: {@code at} stamps the values read now. */
    Parsed readSeries(Path file, Consumer<String> warn, Instant at) throws IOException {
        return readSeries(file, warn, line -> at);
    }

    /** As {@link #read}, keeping every value, each stamped with the time of its line ({@code lineTime} by index from 0). */
    Parsed readSeries(Path file, Consumer<String> warn, java.util.function.IntFunction<Instant> lineTime) throws IOException {
        if (!file.toFile().isFile()) { // no exception thrown inside when it is missing, the usual case
            return Parsed.NONE;
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
        return parseSeries(text, warn, lineTime);
    }

    Map<String, Double> parse(String text, Consumer<String> warn) {
        return parseSeries(text, warn, Instant.now()).last();
    }

    Parsed parseSeries(String text, Consumer<String> warn, Instant at) {
        return parseSeries(text, warn, line -> at);
    }

    Parsed parseSeries(String text, Consumer<String> warn, java.util.function.IntFunction<Instant> lineTime) {
        Series metrics = new Series();
        Warnings warnings = new Warnings(warn);
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int number = i + 1;
            metrics.at = lineTime.apply(i);
            if (line.startsWith("{")) {
                parseJson(line, number, metrics, warnings);
            } else {
                parsePair(line, number, metrics, warnings);
            }
        }
        warnings.finish();
        return new Parsed(Collections.unmodifiableMap(metrics.last), List.copyOf(metrics.points));
    }

    /** The values read so far: each name's last value, every point, and each name's next position. */
    private static final class Series {
        /** the time of the line being read */
        Instant at;
        final Map<String, Double> last = new LinkedHashMap<>();
        final List<MetricPoint> points = new ArrayList<>();
        final Map<String, Long> next = new HashMap<>();

        void put(String name, double value, Long step) {
            last.put(name, value);
            long position = next.getOrDefault(name, 0L);
            long x = step != null ? step : position;
            next.put(name, Math.max(position, x) + 1);
            points.add(new MetricPoint(name, x, value, at));
        }
    }

    private static void parsePair(String line, int number, Series metrics, Warnings warnings) {
        String[] parts = BLANKS.split(line);
        if (parts.length != 2) {
            warnings.add(number, "expected `name value` or a JSON object of name -> number", line);
        } else if (!NAME.matcher(parts[0]).matches()) {
            warnings.add(number, "bad metric name", line);
        } else if (!NUMBER.matcher(parts[1]).matches() || !Double.isFinite(Double.parseDouble(parts[1]))) {
            warnings.add(number, "value is not a finite number", line);
        } else {
            metrics.put(parts[0], Double.parseDouble(parts[1]), null);
        }
    }

    private void parseJson(String line, int number, Series metrics, Warnings warnings) {
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
        Long step = null;
        JsonNode stepNode = node.get(STEP);
        if (stepNode != null) {
            if (stepNode.isIntegralNumber() && stepNode.canConvertToLong() && stepNode.longValue() >= 0) {
                step = stepNode.longValue();
            } else {
                warnings.add(number, "step is not a whole number >= 0", stepNode.toString());
            }
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (name.equals(STEP)) continue;
            JsonNode value = field.getValue();
            if (!NAME.matcher(name).matches()) {
                warnings.add(number, "bad metric name", name);
            } else if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                warnings.add(number, "value of " + name + " is not a finite number", value.toString());
            } else {
                metrics.put(name, value.doubleValue(), step);
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
