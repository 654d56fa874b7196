package dev.sluice.engine.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.engine.client.ServerClient;
import dev.sluice.engine.client.SseEvent;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.scheduler.RunListener;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.TaskRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a run's event stream ({@code GET /api/runs/{id}/events}) into the calls a local run's
 * progress gets, so {@code sluice trigger --wait} prints what {@code sluice run} prints.
 */
final class RemoteProgress implements ServerClient.StreamListener {

    private final ObjectMapper mapper;
    private final String runId;
    private final RunListener progress;
    private final Map<String, Instant> started = new HashMap<>();
    private String endStatus;

    RemoteProgress(ObjectMapper mapper, String runId, RunListener progress) {
        this.mapper = mapper;
        this.runId = runId;
        this.progress = progress;
    }

    /** The run's final status from the {@code end} event; null until it came. */
    String endStatus() {
        return endStatus;
    }

    @Override
    public boolean event(SseEvent e) {
        JsonNode data;
        try {
            data = mapper.readTree(e.data());
        } catch (IOException ex) {
            return true; // not an event this client knows: skip it
        }
        switch (e.event()) {
            case "end" -> {
                endStatus = data.path("status").asText(null);
                return false;
            }
            case "step" -> step(data);
            case "run" -> run(data);
            default -> { }
        }
        return true;
    }

    private void step(JsonNode d) {
        StepState status = enumOf(StepState.class, d.path("status").asText());
        String step = d.path("step").asText(null);
        if (status == null || step == null) return;
        Instant at = instant(d.path("at").asText(null));
        if (status == StepState.RUNNING) started.put(step, at);
        Instant start = started.get(step);
        String reason = d.path("reason").asText(null);
        TaskRecord t = new TaskRecord(runId, step, step, 0, null, status, reason, d.path("attempt").asInt(0), 0,
                status == StepState.SUCCEEDED && "cached".equals(reason), null, start, status.terminal() ? at : null, null);
        progress.taskChanged(null, t);
    }

    private void run(JsonNode d) {
        RunState status = enumOf(RunState.class, d.path("status").asText());
        if (status == null) return;
        progress.runChanged(new RunRecord(runId, null, 0, status, null, null, null, null, null, null, null, null,
                d.path("reason").asText(null)));
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String name) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
