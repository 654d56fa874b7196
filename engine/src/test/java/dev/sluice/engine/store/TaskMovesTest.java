package dev.sluice.engine.store;

import static dev.sluice.engine.store.StoreFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.run.StepState;
import dev.sluice.engine.store.Change.SetTaskState;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskMovesTest {

    private static SetTaskState move(String task, StepState from, StepState to, int second, Integer attempts,
            Integer exitCode) {
        return new SetTaskState("r1", task, from, to, "to " + to, at(second), attempts, null, null, null, exitCode);
    }

    @Test
    void aTasksMovesInOneTurnBecomeOneUpdateThatEndsWhereTheLastMoveEnds() {
        List<TaskMoves.Write> writes = TaskMoves.writes(List.of(
                move("a", StepState.RUNNING, StepState.SUCCEEDED, 2, null, 0),
                move("b", StepState.PENDING, StepState.QUEUED, 2, null, null),
                move("b", StepState.QUEUED, StepState.RUNNING, 2, 1, null)));

        assertThat(writes).hasSize(2);
        TaskMoves.Write b = writes.get(1);
        assertThat(b.expected()).isEqualTo(StepState.PENDING);
        assertThat(b.next()).isEqualTo(StepState.RUNNING);
        assertThat(b.reason()).isEqualTo("to RUNNING");
        assertThat(b.attempts()).isEqualTo(1);
        assertThat(b.startedAt()).isEqualTo(at(2));
        assertThat(b.endedAt()).isNull();
        assertThat(writes.get(0).endedAt()).isEqualTo(at(2));
        assertThat(writes.get(0).exitCode()).isZero();
    }

    @Test
    void aRegisterStepStartedAndEndedInOneTurnKeepsItsStartAndItsAttemptCount() {
        List<TaskMoves.Write> writes = TaskMoves.writes(List.of(
                move("r", StepState.QUEUED, StepState.RUNNING, 1, 3, null),
                move("r", StepState.RUNNING, StepState.SUCCEEDED, 1, null, null)));

        assertThat(writes).singleElement().satisfies(w -> {
            assertThat(w.expected()).isEqualTo(StepState.QUEUED);
            assertThat(w.next()).isEqualTo(StepState.SUCCEEDED);
            assertThat(w.startedAt()).isEqualTo(at(1));
            assertThat(w.endedAt()).isEqualTo(at(1));
            assertThat(w.attempts()).isEqualTo(3);
        });
    }

    @Test
    void aMoveThatDoesNotStartWhereTheLastEndedIsWrittenOnItsOwnSoItsCompareAndSetFails() {
        List<TaskMoves.Write> writes = TaskMoves.writes(List.of(
                move("a", StepState.PENDING, StepState.QUEUED, 1, null, null),
                move("a", StepState.PENDING, StepState.RUNNING, 1, 1, null)));

        assertThat(writes).extracting(w -> w.expected() + ">" + w.next())
                .containsExactly("PENDING>QUEUED", "PENDING>RUNNING");
    }

    @Test
    void eachMovesEventCountsTheAttemptsSetSoFarElseTheStoredCount() {
        List<Integer> counts = TaskMoves.eventAttempts(List.of(
                move("b", StepState.PENDING, StepState.QUEUED, 2, null, null),
                move("b", StepState.QUEUED, StepState.RUNNING, 2, 1, null),
                move("c", StepState.RUNNING, StepState.SUCCEEDED, 2, null, null),
                move("b", StepState.RUNNING, StepState.SUCCEEDED, 2, null, null)));

        assertThat(counts).containsExactly(null, 1, null, 1);
    }
}
