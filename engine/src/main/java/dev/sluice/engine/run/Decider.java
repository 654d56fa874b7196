package dev.sluice.engine.run;

import dev.sluice.engine.run.Snapshot.TaskView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

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

    /** Thrown by {@link Conditions#holds} when the task cannot run at all (e.g. its model is missing): its message is the reason, as it is. */
    public static final class Unrunnable extends RuntimeException {
        public Unrunnable(String reason) {
            super(reason, null, false, false);
        }
    }

    /** How a finished attempt moves its task. */
    public record Settlement(StepEvent event, StepState next, String reason, boolean counted, int retriesUsed,
            Instant notBefore) {}

    /** How an attempt ended, as the engine classifies it. */
    public enum AttemptOutcome {
        SUCCEEDED, FAILED, TIMED_OUT, CANCELLED,
        /** not the step's fault (worker lost, engine restart): retried without using up retries */
        LOST
    }

    private static final Comparator<TaskView> PLAN_ORDER = Comparator.comparingInt(TaskView::position);

    private Decider() {}

    public static Decision decide(Snapshot snapshot, Conditions conditions, Instant now) {
        if (snapshot.run() != RunState.RUNNING) return new Decision(List.of(), Map.of(), Map.of(), List.of(), null, null);
        Map<String, StepState> changed = new HashMap<>();
        List<TaskView> queue = new ArrayList<>();
        Map<String, String> skip = new LinkedHashMap<>();
        Map<String, String> fail = new LinkedHashMap<>();

        // Plan order settles whole chains of skips in one decision: a skipped task's dependents join the work.
        PriorityQueue<TaskView> work = new PriorityQueue<>(PLAN_ORDER);
        work.addAll(snapshot.pending());
        while (!work.isEmpty()) {
            TaskView t = work.poll();
            if (state(t.id(), snapshot, changed) != StepState.PENDING) continue;
            String blocked = blockedBy(t, snapshot, changed);
            StepState next = null;
            if (blocked != null) {
                skip.put(t.id(), blocked);
                next = StepState.SKIPPED;
            } else if (allSucceeded(t, snapshot, changed)) {
                next = settleCondition(t, conditions, skip, fail);
                if (next == StepState.QUEUED) queue.add(t);
            }
            if (next == null) continue;
            changed.put(t.id(), next);
            if (next != StepState.QUEUED) work.addAll(snapshot.graph().dependents(t.id()));
        }

        List<String> dispatch = new ArrayList<>();
        Instant wakeAt = null;
        int free = snapshot.freeSlots();
        List<TaskView> ready = new ArrayList<>(snapshot.queued());
        ready.addAll(queue);
        ready.sort(PLAN_ORDER);
        for (TaskView t : ready) {
            Instant notBefore = t.state() == StepState.QUEUED ? t.notBefore() : null;
            if (notBefore != null && notBefore.isAfter(now)) {
                if (wakeAt == null || notBefore.isBefore(wakeAt)) wakeAt = notBefore;
            } else if (free > 0) {
                dispatch.add(t.id());
                free--;
            }
        }
        int ended = skip.size() + fail.size();
        RunState run = nextRunState(snapshot.unfinished() - ended, snapshot.failed() + fail.size(), snapshot.cancelled());
        return new Decision(queue.stream().map(TaskView::id).toList(), skip, fail, dispatch, run, wakeAt);
    }

    /** What a finished attempt does to its task. */
    public static Settlement settle(AttemptOutcome outcome, String detail, int retries, int retriesUsed,
            Duration retryDelay, Instant now) {
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

    private static StepState settleCondition(TaskView t, Conditions conditions, Map<String, String> skip,
            Map<String, String> fail) {
        if (!t.hasCondition()) return StepState.QUEUED;
        try {
            if (conditions.holds(t.id())) return StepState.QUEUED;
            skip.put(t.id(), "condition false");
            return StepState.SKIPPED;
        } catch (Unrunnable e) {
            fail.put(t.id(), e.getMessage());
            return StepState.FAILED;
        } catch (RuntimeException e) {
            fail.put(t.id(), "condition could not be evaluated: " + e.getMessage());
            return StepState.FAILED;
        }
    }

    private static StepState state(String id, Snapshot s, Map<String, StepState> changed) {
        StepState c = changed.get(id);
        return c != null ? c : s.graph().state(id);
    }

    private static String blockedBy(TaskView t, Snapshot s, Map<String, StepState> changed) {
        String skipped = null;
        for (String need : t.needs()) {
            StepState st = state(need, s, changed);
            if (st == StepState.FAILED) return "upstream failed: " + need;
            if (st == StepState.CANCELLED) return "upstream cancelled: " + need;
            if (st == StepState.SKIPPED && skipped == null) skipped = "upstream skipped: " + need;
        }
        return skipped;
    }

    private static boolean allSucceeded(TaskView t, Snapshot s, Map<String, StepState> changed) {
        for (String need : t.needs()) if (state(need, s, changed) != StepState.SUCCEEDED) return false;
        return true;
    }

    private static RunState nextRunState(int unfinished, int failed, int cancelled) {
        if (unfinished > 0) return null;
        // steps are only ever CANCELLED because the run was: that outcome wins
        if (cancelled > 0) return RunState.CANCELLED;
        return failed > 0 ? RunState.FAILED : RunState.SUCCEEDED;
    }
}
