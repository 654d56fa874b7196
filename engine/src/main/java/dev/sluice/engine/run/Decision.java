package dev.sluice.engine.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The plan the {@link Decider} returns; the scheduler applies it in one transaction.
 *
 * @param queue    tasks whose needs are met: PENDING -> QUEUED
 * @param skip     task id -> reason: PENDING -> SKIPPED
 * @param fail     task id -> message: a condition that could not be evaluated, PENDING -> QUEUED -> FAILED
 * @param dispatch QUEUED tasks to start now, in order, at most the free slots
 * @param run      the run's next state, or null when it stays as it is
 * @param wakeAt   the earliest retry delay still running, or null: decide again then
 */
public record Decision(
        List<String> queue,
        Map<String, String> skip,
        Map<String, String> fail,
        List<String> dispatch,
        RunState run,
        Instant wakeAt) {

    public Decision {
        queue = List.copyOf(queue);
        skip = Map.copyOf(skip);
        fail = Map.copyOf(fail);
        dispatch = List.copyOf(dispatch);
    }

    public boolean isEmpty() {
        return queue.isEmpty() && skip.isEmpty() && fail.isEmpty() && dispatch.isEmpty() && run == null;
    }
}
