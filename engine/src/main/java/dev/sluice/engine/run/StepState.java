package dev.sluice.engine.run;

import java.util.EnumSet;
import java.util.Set;

/**
 * The state of one task (a step or a matrix variant) in a run.
 *
 * <pre>
 *   PENDING ──needs met──▶ QUEUED ──dispatched──▶ RUNNING ──ok──▶ SUCCEEDED
 *     │                      ▲                     │ ╰──failed, no retry left──▶ FAILED
 *     │                      ╰──failed, retry left─╯
 *     ├──condition false / upstream failed──▶ SKIPPED
 *     ╰──cancel (from PENDING, QUEUED or RUNNING)──▶ CANCELLED
 *   QUEUED ──cache hit──▶ SUCCEEDED (cached)
 *   FAILED | SKIPPED | CANCELLED ──retry the run──▶ PENDING
 * </pre>
 */
public enum StepState {
    PENDING, QUEUED, RUNNING, SUCCEEDED, FAILED, SKIPPED, CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == SKIPPED || this == CANCELLED;
    }

    public Set<StepState> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(QUEUED, SKIPPED, CANCELLED);
            case QUEUED -> EnumSet.of(RUNNING, SUCCEEDED, SKIPPED, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, QUEUED, CANCELLED);
            case SUCCEEDED -> EnumSet.noneOf(StepState.class);
            case FAILED, SKIPPED, CANCELLED -> EnumSet.of(PENDING);
        };
    }
}
