package dev.sluice.worker.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocol records as JSON for the clustered event bus (which carries {@link JsonObject}s,
 * never Java-serialized objects), and the event-bus addresses of the cluster protocol.
 *
 * <p>Field names are the records' component names. {@link Duration}s are ISO-8601 text
 * ({@code PT30S}), {@link Instant}s ISO text ({@code 2025-01-02T03:04:05.123Z}), enums their name;
 * a {@code null} component is written as JSON {@code null}. A log line's stream is {@code "out"},
 * {@code "err"}, or {@code "sluice"} for Sluice's own notices (e.g. a timeout kill).
 *
 * <p>Reading is strict: a missing required field, a wrong type or unparsable text throws
 * {@link IllegalArgumentException} naming the field, so a malformed message is answered with an
 * error instead of half-applied.
 */
public final class Wire {

    /** Worker to leader, request/reply: a worker joins (and re-joins) the pool. */
    public static final String REGISTER = "sluice.leader.register";
    /** Worker to leader, request/reply, every {@code heartbeatMillis}: renews the lease. */
    public static final String HEARTBEAT = "sluice.leader.heartbeat";
    /** Worker to leader, send: batched log lines of running attempts. */
    public static final String LOGS = "sluice.leader.logs";
    /** Worker to leader, request/reply: an attempt's result, re-sent until acknowledged. */
    public static final String RESULT = "sluice.leader.result";

    private Wire() {}

    /** Leader to worker, request/reply: run an attempt. */
    public static String dispatchAddress(String workerId) {
        return "sluice.worker." + workerId + ".dispatch";
    }

    /** Leader to worker, request/reply: cancel an attempt. */
    public static String cancelAddress(String workerId) {
        return "sluice.worker." + workerId + ".cancel";
    }

    // ---- AttemptKey

    public static JsonObject toJson(AttemptKey key) {
        return new JsonObject().put("runId", key.runId()).put("taskId", key.taskId()).put("attempt", key.attempt());
    }

    public static AttemptKey attemptKey(JsonObject json) {
        return read("key", () -> new AttemptKey(string(json, "runId"), string(json, "taskId"), integer(json, "attempt")));
    }

    public static JsonArray keys(Collection<AttemptKey> keys) {
        JsonArray array = new JsonArray();
        keys.forEach(k -> array.add(toJson(k)));
        return array;
    }

    public static List<AttemptKey> keys(JsonArray array) {
        List<AttemptKey> keys = new ArrayList<>();
        if (array != null) {
            for (int i = 0; i < array.size(); i++) keys.add(attemptKey(object(array, i, "keys")));
        }
        return keys;
    }

    // ---- Artifact

    public static JsonObject toJson(Artifact artifact) {
        return new JsonObject().put("from", artifact.from()).put("path", artifact.path())
                .put("sha256", artifact.sha256()).put("size", artifact.size());
    }

    public static Artifact artifact(JsonObject json) {
        return read("artifact", () -> new Artifact(string(json, "from"), string(json, "path"), string(json, "sha256"),
                required("size", json.getLong("size"))));
    }

    // ---- TaskRequest

    public static JsonObject toJson(TaskRequest request) {
        return new JsonObject()
                .put("key", toJson(request.key()))
                .put("command", request.command())
                .put("workdir", request.workdir())
                .put("env", new JsonObject(new LinkedHashMap<>(request.env())))
                .put("outputs", new JsonArray(new ArrayList<>(request.outputs())))
                .put("inputs", artifacts(request.inputs()))
                .put("models", artifacts(request.models()))
                .put("timeout", request.timeout() == null ? null : request.timeout().toString())
                .put("maxLogBytes", request.maxLogBytes());
    }

    public static TaskRequest taskRequest(JsonObject json) {
        return read("request", () -> {
            Map<String, String> env = new LinkedHashMap<>();
            JsonObject envJson = json.getJsonObject("env");
            if (envJson != null) {
                for (String name : envJson.fieldNames()) env.put(name, string(envJson, name));
            }
            List<String> outputs = new ArrayList<>();
            JsonArray outputsJson = json.getJsonArray("outputs");
            if (outputsJson != null) {
                for (int i = 0; i < outputsJson.size(); i++) outputs.add(outputsJson.getString(i));
            }
            String timeout = json.getString("timeout");
            Long maxLogBytes = json.getLong("maxLogBytes");
            return new TaskRequest(attemptKey(required("key", json.getJsonObject("key"))),
                    string(json, "command"), string(json, "workdir"), env, outputs,
                    artifacts(json.getJsonArray("inputs")),
                    timeout == null ? null : Duration.parse(timeout),
                    maxLogBytes == null ? 0 : maxLogBytes,
                    json.getJsonArray("models") == null ? List.of() : artifacts(json.getJsonArray("models")));
        });
    }

    // ---- TaskResult

    public static JsonObject toJson(TaskResult result) {
        JsonObject metrics = new JsonObject();
        result.metrics().forEach(metrics::put);
        return new JsonObject()
                .put("key", toJson(result.key()))
                .put("outcome", result.outcome().name())
                .put("exitCode", result.exitCode())
                .put("error", result.error())
                .put("startedAt", result.startedAt() == null ? null : result.startedAt().toString())
                .put("endedAt", result.endedAt() == null ? null : result.endedAt().toString())
                .put("outputs", artifacts(result.outputs()))
                .put("metrics", metrics)
                .put("series", series(result.series()))
                .put("worker", result.worker());
    }

    public static TaskResult taskResult(JsonObject json) {
        return read("result", () -> {
            Map<String, Double> metrics = new LinkedHashMap<>();
            JsonObject metricsJson = json.getJsonObject("metrics");
            if (metricsJson != null) {
                for (String name : metricsJson.fieldNames()) {
                    metrics.put(name, required(name, metricsJson.getDouble(name)));
                }
            }
            return new TaskResult(attemptKey(required("key", json.getJsonObject("key"))),
                    TaskResult.Outcome.valueOf(string(json, "outcome")),
                    json.getInteger("exitCode"),
                    json.getString("error"),
                    instant(json, "startedAt"), instant(json, "endedAt"),
                    artifacts(json.getJsonArray("outputs")),
                    metrics,
                    json.getString("worker"),
                    series(json.getJsonArray("series")));
        });
    }

    private static JsonArray series(List<MetricPoint> points) {
        JsonArray array = new JsonArray();
        for (MetricPoint p : points) {
            array.add(new JsonObject().put("name", p.name()).put("step", p.step()).put("value", p.value())
                    .put("at", p.at().toString()));
        }
        return array;
    }

    private static List<MetricPoint> series(JsonArray array) {
        if (array == null) return List.of();
        List<MetricPoint> points = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonObject p = array.getJsonObject(i);
            points.add(new MetricPoint(string(p, "name"), required("step", p.getLong("step")),
                    required("value", p.getDouble("value")), required("at", instant(p, "at"))));
        }
        return points;
    }

    // ---- LogLine

    public static JsonObject toJson(LogLine line) {
        return new JsonObject().put("at", line.at().toString()).put("stream", streamName(line.stream())).put("text", line.text());
    }

    public static LogLine logLine(JsonObject json) {
        return read("line", () -> new LogLine(required("at", instant(json, "at")), stream(string(json, "stream")),
                string(json, "text")));
    }

    public static JsonArray lines(Collection<LogLine> lines) {
        JsonArray array = new JsonArray();
        lines.forEach(l -> array.add(toJson(l)));
        return array;
    }

    public static List<LogLine> lines(JsonArray array) {
        List<LogLine> lines = new ArrayList<>();
        if (array != null) {
            for (int i = 0; i < array.size(); i++) lines.add(logLine(object(array, i, "lines")));
        }
        return lines;
    }

    static String streamName(char stream) {
        return switch (stream) {
            case 'O' -> "out";
            case 'E' -> "err";
            case 'S' -> "sluice";
            default -> throw new IllegalArgumentException("unknown log stream: " + stream);
        };
    }

    static char stream(String name) {
        return switch (name) {
            case "out" -> 'O';
            case "err" -> 'E';
            case "sluice" -> 'S';
            default -> throw new IllegalArgumentException("unknown log stream: " + name);
        };
    }

    // ---- helpers

    private static JsonArray artifacts(List<Artifact> artifacts) {
        JsonArray array = new JsonArray();
        artifacts.forEach(a -> array.add(toJson(a)));
        return array;
    }

    private static List<Artifact> artifacts(JsonArray array) {
        List<Artifact> artifacts = new ArrayList<>();
        if (array != null) {
            for (int i = 0; i < array.size(); i++) artifacts.add(artifact(object(array, i, "artifacts")));
        }
        return artifacts;
    }

    private static JsonObject object(JsonArray array, int i, String what) {
        return required(what + "[" + i + "]", array.getJsonObject(i));
    }

    private static String string(JsonObject json, String name) {
        return required(name, json.getString(name));
    }

    private static int integer(JsonObject json, String name) {
        return required(name, json.getInteger(name));
    }

    private static Instant instant(JsonObject json, String name) {
        String text = json.getString(name);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": not an ISO instant: " + text);
        }
    }

    private static <T> T required(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read();
    }

    private static <T> T read(String what, Reader<T> reader) {
        try {
            return reader.read();
        } catch (ClassCastException e) {
            throw new IllegalArgumentException(what + ": a field has the wrong type", e);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(what + ": bad duration: " + e.getParsedString(), e);
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }
}
