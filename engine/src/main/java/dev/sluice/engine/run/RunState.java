package dev.sluice.engine.run;

import java.util.EnumSet;
import java.util.Set;

/**
 * The state of a run.
 *
 * <pre>
 *   QUEUED ──start──▶ RUNNING ──all steps done, none FAILED──▶ SUCCEEDED
 *     │                 │ ╰────all steps done, one FAILED────▶ FAILED
 *     │                 ╰──────cancel / interrupted──────────▶ CANCELLED | FAILED
 *     ╰──cancel──▶ CANCELLED
 *   FAILED | CANCELLED ──retry──▶ RUNNING
 * </pre>
 */
public enum RunState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public Set<RunState> next() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, CANCELLED, FAILED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED);
            case SUCCEEDED -> EnumSet.noneOf(RunState.class);
            case FAILED, CANCELLED -> EnumSet.of(RUNNING);
        };
    }
}
