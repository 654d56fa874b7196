package dev.sluice.engine.run;

import static dev.sluice.engine.run.StepEvent.*;
import static dev.sluice.engine.run.StepState.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every (state, event) pair, the rejected ones included. */
class TransitionsTest {

    /** The whole step table: for each state, the events it accepts and where they lead. */
    private static final Map<StepState, Map<StepEvent, StepState>> STEP = new EnumMap<>(Map.of(
            PENDING, Map.of(READY, QUEUED, SKIP, SKIPPED, CANCEL, CANCELLED),
            QUEUED, Map.of(SKIP, SKIPPED, DISPATCH, RUNNING, CACHE_HIT, SUCCEEDED, FAIL, FAILED, CANCEL, CANCELLED),
            RUNNING, Map.of(SUCCEED, SUCCEEDED, FAIL, FAILED, RETRY, QUEUED, CANCEL, CANCELLED),
            SUCCEEDED, Map.of(),
            FAILED, Map.of(RESET, PENDING),
            SKIPPED, Map.of(RESET, PENDING),
            CANCELLED, Map.of(RESET, PENDING)));

    private static final Map<RunState, Map<RunEvent, RunState>> RUN = new EnumMap<>(Map.of(
            RunState.QUEUED, Map.of(RunEvent.START, RunState.RUNNING, RunEvent.CANCEL, RunState.CANCELLED,
                    RunEvent.INTERRUPT, RunState.FAILED),
            RunState.RUNNING, Map.of(RunEvent.SUCCEED, RunState.SUCCEEDED, RunEvent.FAIL, RunState.FAILED,
                    RunEvent.CANCEL, RunState.CANCELLED, RunEvent.INTERRUPT, RunState.FAILED),
            RunState.SUCCEEDED, Map.of(),
            RunState.FAILED, Map.of(RunEvent.RESUME, RunState.RUNNING),
            RunState.CANCELLED, Map.of(RunEvent.RESUME, RunState.RUNNING)));

    @Test
    void everyStepStateAndEventPairIsAcceptedOrRejectedAsTheTableSays() {
        for (StepState state : StepState.values()) {
            for (StepEvent event : StepEvent.values()) {
                Transition<StepState> t = Transitions.apply(state, event);
                StepState expected = STEP.get(state).get(event);
                if (expected == null) {
                    assertThat(t).as("%s on %s", event, state).isInstanceOf(Transition.Rejected.class);
                    assertThat(((Transition.Rejected<StepState>) t).reason()).contains(event.name()).contains(state.name());
                } else {
                    assertThat(t).as("%s on %s", event, state).isEqualTo(new Transition.Accepted<>(expected));
                }
            }
        }
    }

    @Test
    void everyRunStateAndEventPairIsAcceptedOrRejectedAsTheTableSays() {
        for (RunState state : RunState.values()) {
            for (RunEvent event : RunEvent.values()) {
                Transition<RunState> t = Transitions.apply(state, event);
                RunState expected = RUN.get(state).get(event);
                if (expected == null) assertThat(t.accepted()).as("%s on %s", event, state).isFalse();
                else assertThat(t.next()).as("%s on %s", event, state).isEqualTo(expected);
            }
        }
    }

    @Test
    void statesListExactlyTheNextStatesTheirTransitionsReach() {
        for (StepState state : StepState.values()) {
            Set<StepState> reachable = EnumSet.noneOf(StepState.class);
            reachable.addAll(STEP.get(state).values());
            assertThat(state.next()).as("next of %s", state).isEqualTo(reachable);
        }
        for (RunState state : RunState.values()) {
            Set<RunState> reachable = EnumSet.noneOf(RunState.class);
            reachable.addAll(RUN.get(state).values());
            assertThat(state.next()).as("next of %s", state).isEqualTo(reachable);
        }
    }

    @Test
    void terminalStatesAreTheOnesARunOrStepEndsIn() {
        assertThat(EnumSet.allOf(StepState.class).stream().filter(StepState::terminal))
                .containsExactlyInAnyOrder(SUCCEEDED, FAILED, SKIPPED, CANCELLED);
        assertThat(EnumSet.allOf(RunState.class).stream().filter(RunState::terminal))
                .containsExactlyInAnyOrder(RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED);
    }

    @Test
    void aRejectedTransitionRefusesToGiveANextState() {
        Transition<StepState> t = Transitions.apply(SUCCEEDED, DISPATCH);
        org.assertj.core.api.Assertions.assertThatThrownBy(t::next).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DISPATCH does not apply to a SUCCEEDED step");
    }
}
