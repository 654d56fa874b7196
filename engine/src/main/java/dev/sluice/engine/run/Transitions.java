package dev.sluice.engine.run;

import static dev.sluice.engine.run.StepState.*;

/**
 * The only producer of new states. Each (state, event) pair is either accepted with the next
 * state or rejected with a reason; {@code TransitionsTest} covers every pair.
 */
public final class Transitions {

    private Transitions() {}

    public static Transition<StepState> apply(StepState state, StepEvent event) {
        StepState next = switch (event) {
            case READY -> state == PENDING ? QUEUED : null;
            case SKIP -> state == PENDING || state == QUEUED ? SKIPPED : null;
            case DISPATCH -> state == QUEUED ? RUNNING : null;
            case SUCCEED -> state == RUNNING ? SUCCEEDED : null;
            case CACHE_HIT -> state == QUEUED ? SUCCEEDED : null;
            case FAIL -> state == RUNNING || state == QUEUED ? FAILED : null;
            case RETRY -> state == RUNNING ? QUEUED : null;
            case CANCEL -> state == PENDING || state == QUEUED || state == RUNNING ? CANCELLED : null;
            case RESET -> state == FAILED || state == SKIPPED || state == CANCELLED ? PENDING : null;
        };
        return result(state, event, next);
    }

    public static Transition<RunState> apply(RunState state, RunEvent event) {
        RunState next = switch (event) {
            case START -> state == RunState.QUEUED ? RunState.RUNNING : null;
            case SUCCEED -> state == RunState.RUNNING ? RunState.SUCCEEDED : null;
            case FAIL -> state == RunState.RUNNING ? RunState.FAILED : null;
            case CANCEL -> state == RunState.QUEUED || state == RunState.RUNNING ? RunState.CANCELLED : null;
            case INTERRUPT -> state == RunState.QUEUED || state == RunState.RUNNING ? RunState.FAILED : null;
            case RESUME -> state == RunState.FAILED || state == RunState.CANCELLED ? RunState.RUNNING : null;
        };
        return result(state, event, next);
    }

    private static <S extends Enum<S>> Transition<S> result(S state, Enum<?> event, S next) {
        if (next == null) return new Transition.Rejected<>(event + " does not apply to a " + state + " " + kind(state));
        return new Transition.Accepted<>(next);
    }

    private static String kind(Enum<?> state) {
        return state instanceof RunState ? "run" : "step";
    }
}
