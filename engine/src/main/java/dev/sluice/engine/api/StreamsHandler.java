package dev.sluice.engine.api;

import dev.sluice.engine.api.EventFeed.Batch;
import dev.sluice.engine.api.EventFeed.Frame;
import dev.sluice.engine.store.AttemptRecord;
import dev.sluice.engine.store.LogChunk;
import dev.sluice.engine.store.RunEventRecord;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.TaskRecord;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live views, as Server-Sent Events: {@code GET /api/runs/{id}/events} (every state change of
 * a run, replayed from the store, so a client reconnecting with {@code Last-Event-ID} misses
 * nothing) and {@code GET /api/runs/{id}/steps/{step}/logs?follow=true} (an attempt's log lines as
 * they are stored, until the attempt ends).
 */
public final class StreamsHandler {

    /** Most events or log chunks sent per read of the store. */
    static final int PAGE = 500;

    private final Store store;
    private final RunSignals signals;

    public StreamsHandler(ApiContext api) {
        this.store = api.store();
        this.signals = api.signals();
    }

    /** {@code GET /api/runs/{id}/events}: replays from {@code Last-Event-ID} (or {@code ?after=}), then follows. */
    public void events(RoutingContext ctx) {
        String runId = ctx.pathParam("id");
        long[] after = {position(ctx)};
        EventFeed.start(ctx, signals, runId, () -> {
            // the status first: when it is terminal, every event up to it is already stored
            RunRecord run = store.run(runId).orElseThrow(() -> ApiException.notFound("no run " + runId));
            List<RunEventRecord> found = store.events(runId, after[0], PAGE);
            List<Frame> frames = new ArrayList<>(found.size());
            for (RunEventRecord e : found) {
                frames.add(new Frame(Long.toString(e.id()), e.ofRun() ? "run" : "step", Json.write(event(e))));
                after[0] = e.id();
            }
            boolean caughtUp = found.size() < PAGE;
            Frame end = caughtUp && run.status().terminal()
                    ? new Frame(null, "end", Json.write(Map.of("status", run.status().name()))) : null;
            return new Batch(frames, end);
        });
    }

    private static Map<String, Object> event(RunEventRecord e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("runId", e.runId());
        m.put("at", e.at());
        m.put("kind", e.ofRun() ? "run" : "step");
        if (!e.ofRun()) {
            m.put("step", e.taskId());
            m.put("attempt", e.attempt());
        }
        m.put("status", e.status());
        m.put("reason", e.reason());
        return m;
    }

    /**
     * {@code GET /api/runs/{id}/steps/{step}/logs?follow=true[&attempt=N]}: the lines of one attempt
     * (default: the latest, waiting for the first when the step has not started) until it ends.
     */
    public void followLog(RoutingContext ctx) {
        String runId = ctx.pathParam("id");
        String step = ctx.pathParam("step");
        Integer wanted = RunsHandler.attemptParam(ctx);
        long[] after = {position(ctx)};
        int[] attempt = {wanted == null ? 0 : wanted};
        EventFeed.start(ctx, signals, runId, () -> {
            TaskRecord task = store.task(runId, step).orElseThrow(() -> store.run(runId).isPresent()
                    ? ApiException.notFound("run " + runId + " has no step '" + step + "'")
                    : ApiException.notFound("no run " + runId));
            if (wanted != null && (wanted < 1 || wanted > task.attempts())) {
                throw ApiException.notFound("step '" + step + "' has attempts 1 to " + task.attempts());
            }
            if (attempt[0] == 0) {
                if (task.attempts() == 0) {
                    // not started: wait, unless it never will
                    Frame end = task.status().terminal() ? endOfLog(task.status().name(), 0) : null;
                    return new Batch(List.of(), end);
                }
                attempt[0] = task.attempts();
            }
            // the attempt's status first: when it has ended, its last lines are already stored
            Optional<AttemptRecord> record = store.attempt(runId, step, attempt[0]);
            List<LogChunk> chunks = store.logChunks(runId, step, attempt[0], after[0], PAGE);
            List<Frame> frames = new ArrayList<>();
            for (LogChunk chunk : chunks) {
                String[] lines = chunk.text().split("\n");
                for (int i = 0; i < lines.length; i++) {
                    frames.add(new Frame(i == lines.length - 1 ? Long.toString(chunk.id()) : null, "log", lines[i]));
                }
                after[0] = chunk.id();
            }
            boolean ended = record.isPresent() && !record.get().status().equals("RUNNING");
            Frame end = ended && chunks.size() < PAGE ? endOfLog(record.get().status(), attempt[0]) : null;
            return new Batch(frames, end);
        });
    }

    private static Frame endOfLog(String status, int attempt) {
        return new Frame(null, "end", Json.write(Map.of("status", status, "attempt", attempt)));
    }

    /** The last event the client saw: {@code Last-Event-ID}, else {@code ?after=}, else 0. */
    private static long position(RoutingContext ctx) {
        String value = ctx.request().getHeader("Last-Event-ID");
        if (value == null || value.isBlank()) value = ctx.request().getParam("after");
        if (value == null || value.isBlank()) return 0;
        try {
            long n = Long.parseLong(value.strip());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad-query", "Last-Event-ID (or after) must be an event id, a number");
        }
    }
}
