package dev.sluice.engine.run;

import dev.sluice.engine.run.Snapshot.TaskView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure decisions: given a snapshot of a run, what happens next. No I/O; the scheduler applies the
 * result (decide, then apply).
 */
public final class Decider {

    /** Evaluates a task's {@code if:} condition once its needs have succeeded. */
    @FunctionalInterface
    public interface Conditions {
        /** @return true or false; throws {@link RuntimeException} with a message for a person on error */
        boolean holds(String taskId);
    }

    /** How a finished attempt moves its task. */
    public record Settlement(StepEvent event, StepState next, String reason, boolean counted, int retriesUsed,
            Instant notBefore) {}

    private Decider() {}

    public static Decision decide(Snapshot snapshot, Conditions conditions, Instant now) {
        Map<String, StepState> state = new HashMap<>();
        for (TaskView t : snapshot.tasks()) state.put(t.id(), t.state());

        List<String> queue = new ArrayList<>();
        Map<String, String> skip = new LinkedHashMap<>();
        Map<String, String> fail = new LinkedHashMap<>();
        if (snapshot.run() == RunState.RUNNING) {
            // Tasks come in topological order, so one pass settles whole chains of skips.
            for (TaskView t : snapshot.tasks()) {
                if (t.state() != StepState.PENDING) continue;
                String blocked = blockedBy(t, state);
                if (blocked != null) {
                    skip.put(t.id(), blocked);
                    state.put(t.id(), StepState.SKIPPED);
                } else if (allSucceeded(t, state)) {
                    settleCondition(t, conditions, queue, skip, fail, state);
                }
            }
        }

        List<String> dispatch = new ArrayList<>();
        Instant wakeAt = null;
        if (snapshot.run() == RunState.RUNNING) {
            int free = snapshot.freeSlots();
            for (TaskView t : snapshot.tasks()) {
                if (state.get(t.id()) != StepState.QUEUED) continue;
                Instant notBefore = t.state() == StepState.QUEUED ? t.notBefore() : null;
                if (notBefore != null && notBefore.isAfter(now)) {
                    if (wakeAt == null || notBefore.isBefore(wakeAt)) wakeAt = notBefore;
                } else if (free > 0) {
                    dispatch.add(t.id());
                    free--;
                }
            }
        }
        return new Decision(queue, skip, fail, dispatch, nextRunState(snapshot.run(), state), wakeAt);
    }

    /** What a finished attempt does to its task. */
    public static Settlement settle(AttemptOutcome outcome, String detail, int retries, int retriesUsed,
            java.time.Duration retryDelay, Instant now) {
        return switch (outcome) {
            case SUCCEEDED -> new Settlement(StepEvent.SUCCEED, StepState.SUCCEEDED, null, false, retriesUsed, null);
            case CANCELLED -> new Settlement(StepEvent.CANCEL, StepState.CANCELLED, "cancelled", false, retriesUsed, null);
            case LOST -> new Settlement(StepEvent.RETRY, StepState.QUEUED, detail, false, retriesUsed, null);
            case FAILED, TIMED_OUT -> {
                String why = outcome == AttemptOutcome.TIMED_OUT ? "timeout" : detail;
                if (retriesUsed < retries) {
                    long factor = 1L << Math.min(retriesUsed, 30);
                    Instant notBefore = now.plus(retryDelay.multipliedBy(factor));
                    String reason = why + "; retry " + (retriesUsed + 1) + " of " + retries;
                    yield new Settlement(StepEvent.RETRY, StepState.QUEUED, reason, true, retriesUsed + 1, notBefore);
                }
                yield new Settlement(StepEvent.FAIL, StepState.FAILED, why, true, retriesUsed, null);
            }
        };
    }

    /** How an attempt ended, as the engine classifies it. */
    public enum AttemptOutcome {
        SUCCEEDED, FAILED, TIMED_OUT, CANCELLED,
        /** not the step's fault (worker lost, engine restart): retried without using up retries */
        LOST
    }

    private static void settleCondition(TaskView t, Conditions conditions, List<String> queue,
            Map<String, String> skip, Map<String, String> fail, Map<String, StepState> state) {
        if (!t.hasCondition()) {
            queue.add(t.id());
            state.put(t.id(), StepState.QUEUED);
            return;
        }
        try {
            if (conditions.holds(t.id())) {
                queue.add(t.id());
                state.put(t.id(), StepState.QUEUED);
            } else {
                skip.put(t.id(), "condition false");
                state.put(t.id(), StepState.SKIPPED);
            }
        } catch (RuntimeException e) {
            fail.put(t.id(), "condition could not be evaluated: " + e.getMessage());
            state.put(t.id(), StepState.FAILED);
        }
    }

    private static String blockedBy(TaskView t, Map<String, StepState> state) {
        for (String need : t.needs()) {
            StepState s = state.get(need);
            if (s == StepState.FAILED) return "upstream failed: " + need;
            if (s == StepState.CANCELLED) return "upstream cancelled: " + need;
        }
        for (String need : t.needs()) {
            if (state.get(need) == StepState.SKIPPED) return "upstream skipped: " + need;
        }
        return null;
    }

    private static boolean allSucceeded(TaskView t, Map<String, StepState> state) {
        for (String need : t.needs()) if (state.get(need) != StepState.SUCCEEDED) return false;
        return true;
    }

    private static RunState nextRunState(RunState run, Map<String, StepState> state) {
        if (run != RunState.RUNNING) return null;
        boolean failed = false;
        boolean cancelled = false;
        for (StepState s : state.values()) {
            if (!s.terminal()) return null;
            failed |= s == StepState.FAILED;
            cancelled |= s == StepState.CANCELLED;
        }
        // steps are only ever CANCELLED because the run was: that outcome wins
        if (cancelled) return RunState.CANCELLED;
        return failed ? RunState.FAILED : RunState.SUCCEEDED;
    }
}
