package dev.sluice.worker.protocol;

import dev.sluice.worker.protocol.TaskResult.Outcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireTest {

    private static final AttemptKey KEY = new AttemptKey("r-1", "train[gpu=a100]", 2);
    private static final Artifact INPUT = new Artifact("prep", "data/x.csv", "ab".repeat(32), 1234);

    @Test
    void requestRoundTripsThroughTextWithEveryField() {
        TaskRequest request = new TaskRequest(KEY, "python train.py --x 'y'", "/srv/work", Map.of("A", "1", "B", "é"),
                List.of("model.bin", "dir/"), List.of(INPUT), Duration.ofMinutes(90), 4096);

        JsonObject json = Wire.toJson(request);
        TaskRequest back = Wire.taskRequest(new JsonObject(json.encode()));

        assertThat(back).isEqualTo(request);
        assertThat(json.getString("timeout")).isEqualTo("PT1H30M");
        assertThat(json.getJsonObject("key").getMap()).containsOnlyKeys("runId", "taskId", "attempt");
    }

    @Test
    void requestWithModelsRoundTrips() {
        TaskRequest request = new TaskRequest(KEY, "true", "/srv/work", Map.of(), List.of(), List.of(INPUT), null, 0,
                List.of(new Artifact("clf", "model.json", "cd".repeat(32), 10)));

        TaskRequest back = Wire.taskRequest(new JsonObject(Wire.toJson(request).encode()));

        assertThat(back).isEqualTo(request);
        assertThat(back.needed()).hasSize(2);
    }

    @Test
    void requestWithoutTimeoutOrOptionalListsReadsAsEmpty() {
        JsonObject json = new JsonObject().put("key", Wire.toJson(KEY)).put("command", "true").put("workdir", "/tmp");

        TaskRequest request = Wire.taskRequest(json);

        assertThat(request.timeout()).isNull();
        assertThat(request.env()).isEmpty();
        assertThat(request.inputs()).isEmpty();
        assertThat(request.maxLogBytes()).isEqualTo(TaskRequest.DEFAULT_MAX_LOG_BYTES);
        assertThat(Wire.toJson(request).getValue("timeout")).isNull();
    }

    @Test
    void resultRoundTripsWithNullsAndMetrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", 0.25);
        metrics.put("epochs", 3.0);
        TaskResult ok = new TaskResult(KEY, Outcome.SUCCEEDED, 0, null, Instant.parse("2025-01-02T03:04:05.123456Z"),
                Instant.parse("2025-01-02T03:05:00Z"), List.of(new Artifact("train", "model.bin", "cd".repeat(32), 9)),
                metrics, "gpu-box-1", List.of(new MetricPoint("loss", 0, 0.5, Instant.parse("2025-01-02T03:04:30Z")),
                        new MetricPoint("loss", 7, 0.25, Instant.parse("2025-01-02T03:04:59Z"))));
        TaskResult killed = new TaskResult(KEY, Outcome.TIMED_OUT, null, "timed out after 5m", Instant.EPOCH, null,
                List.of(), Map.of(), null);

        assertThat(Wire.taskResult(new JsonObject(Wire.toJson(ok).encode()))).isEqualTo(ok);
        assertThat(Wire.taskResult(new JsonObject(Wire.toJson(killed).encode()))).isEqualTo(killed);
        assertThat(Wire.toJson(ok).getString("outcome")).isEqualTo("SUCCEEDED");
        assertThat(Wire.toJson(ok).getString("startedAt")).isEqualTo("2025-01-02T03:04:05.123456Z");
    }

    @Test
    void logLinesAndKeysRoundTrip() {
        List<LogLine> lines = List.of(new LogLine(Instant.parse("2025-01-02T03:04:05Z"), 'O', "hello"),
                new LogLine(Instant.parse("2025-01-02T03:04:06Z"), 'E', "oops"),
                new LogLine(Instant.parse("2025-01-02T03:04:07Z"), 'S', "timeout after 5s: killing process tree"));

        JsonArray json = Wire.lines(lines);

        assertThat(Wire.lines(new JsonArray(json.encode()))).isEqualTo(lines);
        assertThat(json.getJsonObject(0).getString("stream")).isEqualTo("out");
        assertThat(json.getJsonObject(1).getString("stream")).isEqualTo("err");
        assertThat(Wire.keys(new JsonArray(Wire.keys(List.of(KEY)).encode()))).containsExactly(KEY);
        assertThat(Wire.artifact(Wire.toJson(INPUT))).isEqualTo(INPUT);
    }

    @Test
    void malformedMessagesNameWhatIsWrong() {
        JsonObject noRun = new JsonObject().put("taskId", "t").put("attempt", 1);
        assertThatThrownBy(() -> Wire.attemptKey(noRun)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing runId");
        JsonObject badTimeout = Wire.toJson(new TaskRequest(KEY, "true", "/tmp", null, null, null, null, 0)).put("timeout", "soon");
        assertThatThrownBy(() -> Wire.taskRequest(badTimeout)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("soon");
        JsonObject badOutcome = Wire.toJson(new TaskResult(KEY, Outcome.FAILED, 1, "exit code 1", null, null, null, null, null))
                .put("outcome", "EXPLODED");
        assertThatThrownBy(() -> Wire.taskResult(badOutcome)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EXPLODED");
        JsonObject wrongType = Wire.toJson(KEY).put("attempt", new JsonObject());
        assertThatThrownBy(() -> Wire.attemptKey(wrongType)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addressesFollowTheContract() {
        assertThat(Wire.dispatchAddress("w1")).isEqualTo("sluice.worker.w1.dispatch");
        assertThat(Wire.cancelAddress("w1")).isEqualTo("sluice.worker.w1.cancel");
        assertThat(List.of(Wire.REGISTER, Wire.HEARTBEAT, Wire.LOGS, Wire.RESULT)).containsExactly(
                "sluice.leader.register", "sluice.leader.heartbeat", "sluice.leader.logs", "sluice.leader.result");
    }
}
