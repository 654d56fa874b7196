package dev.sluice.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.run.Decider.AttemptOutcome;
import dev.sluice.engine.run.Snapshot.TaskView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeciderTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private static TaskView task(String id, StepState state, String... needs) {
        return new TaskView(id, state, List.of(needs), false, null);
    }

    private static Decision decide(RunState run, int slots, TaskView... tasks) {
        return Decider.decide(new Snapshot(run, List.of(tasks), slots), id -> true, NOW);
    }

    @Test
    void queuesTasksWhoseNeedsAllSucceededAndDispatchesUpToTheFreeSlots() {
        Decision d = decide(RunState.RUNNING, 2,
                task("a", StepState.SUCCEEDED),
                task("b", StepState.PENDING, "a"),
                task("c", StepState.PENDING, "a"),
                task("d", StepState.PENDING, "a"),
                task("e", StepState.PENDING, "b"));
        assertThat(d.queue()).containsExactly("b", "c", "d");
        assertThat(d.dispatch()).containsExactly("b", "c");
        assertThat(d.run()).isNull();
    }

    @Test
    void skipsDownstreamWhenUpstreamFailsAndLetsIndependentBranchesRun() {
        Decision d = decide(RunState.RUNNING, 4,
                task("check", StepState.FAILED),
                task("transform", StepState.PENDING, "check"),
                task("load", StepState.PENDING, "transform"),
                task("side", StepState.PENDING));
        assertThat(d.skip()).containsEntry("transform", "upstream failed: check")
                .containsEntry("load", "upstream skipped: transform");
        assertThat(d.dispatch()).containsExactly("side");
        assertThat(d.run()).isNull();
    }

    @Test
    void skipsAStepWhoseConditionIsFalseAndTheStepsThatNeedIt() {
        Snapshot s = new Snapshot(RunState.RUNNING, List.of(
                task("evaluate", StepState.SUCCEEDED),
                new TaskView("register", StepState.PENDING, List.of("evaluate"), true, null),
                task("announce", StepState.PENDING, "register")), 2);
        Decision d = Decider.decide(s, id -> false, NOW);
        assertThat(d.skip()).containsEntry("register", "condition false").containsEntry("announce", "upstream skipped: register");
        assertThat(d.run()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void failsAStepWhoseConditionCannotBeEvaluated() {
        Snapshot s = new Snapshot(RunState.RUNNING, List.of(
                task("a", StepState.SUCCEEDED),
                new TaskView("b", StepState.PENDING, List.of("a"), true, null)), 2);
        Decision d = Decider.decide(s, id -> {
            throw new IllegalStateException("no such key: auc");
        }, NOW);
        assertThat(d.fail()).containsEntry("b", "condition could not be evaluated: no such key: auc");
        assertThat(d.run()).isEqualTo(RunState.FAILED);
    }

    @Test
    void endsTheRunFailedWhenAnyStepFailedAndSucceededOtherwise() {
        assertThat(decide(RunState.RUNNING, 1, task("a", StepState.SUCCEEDED), task("b", StepState.SKIPPED)).run())
                .isEqualTo(RunState.SUCCEEDED);
        assertThat(decide(RunState.RUNNING, 1, task("a", StepState.FAILED), task("b", StepState.SUCCEEDED)).run())
                .isEqualTo(RunState.FAILED);
        assertThat(decide(RunState.RUNNING, 1, task("a", StepState.CANCELLED), task("b", StepState.FAILED)).run())
                .isEqualTo(RunState.CANCELLED);
    }

    @Test
    void keepsATaskWaitingForItsRetryDelayAndSaysWhenToWake() {
        Instant later = NOW.plusSeconds(5);
        Decision d = Decider.decide(new Snapshot(RunState.RUNNING,
                List.of(new TaskView("a", StepState.QUEUED, List.of(), false, later)), 2), id -> true, NOW);
        assertThat(d.dispatch()).isEmpty();
        assertThat(d.wakeAt()).isEqualTo(later);
        Decision due = Decider.decide(new Snapshot(RunState.RUNNING,
                List.of(new TaskView("a", StepState.QUEUED, List.of(), false, NOW)), 2), id -> true, NOW);
        assertThat(due.dispatch()).containsExactly("a");
    }

    @Test
    void decidesNothingForARunThatIsNotRunning() {
        assertThat(decide(RunState.QUEUED, 2, task("a", StepState.PENDING)).isEmpty()).isTrue();
        assertThat(decide(RunState.SUCCEEDED, 2, task("a", StepState.SUCCEEDED)).isEmpty()).isTrue();
    }

    @Test
    void retriesWithADelayThatDoublesAfterEachFailedAttemptThenFails() {
        Duration delay = Duration.ofSeconds(5);
        List<Instant> notBefore = new ArrayList<>();
        int used = 0;
        for (int attempt = 1; attempt <= 3; attempt++) {
            Decider.Settlement s = Decider.settle(AttemptOutcome.FAILED, "exit code 1", 2, used, delay, NOW);
            if (attempt < 3) {
                assertThat(s.next()).isEqualTo(StepState.QUEUED);
                assertThat(s.counted()).isTrue();
                notBefore.add(s.notBefore());
                used = s.retriesUsed();
            } else {
                assertThat(s.next()).isEqualTo(StepState.FAILED);
                assertThat(s.reason()).isEqualTo("exit code 1");
            }
        }
        assertThat(notBefore).containsExactly(NOW.plusSeconds(5), NOW.plusSeconds(10));
    }

    @Test
    void aTimeoutIsRetriedLikeAFailureWithReasonTimeout() {
        Decider.Settlement s = Decider.settle(AttemptOutcome.TIMED_OUT, null, 0, 0, Duration.ofSeconds(1), NOW);
        assertThat(s.next()).isEqualTo(StepState.FAILED);
        assertThat(s.reason()).isEqualTo("timeout");
    }

    @Test
    void aLostAttemptIsRetriedWithoutUsingUpRetries() {
        Decider.Settlement s = Decider.settle(AttemptOutcome.LOST, "engine restart", 0, 0, Duration.ofSeconds(1), NOW);
        assertThat(s.next()).isEqualTo(StepState.QUEUED);
        assertThat(s.counted()).isFalse();
        assertThat(s.retriesUsed()).isZero();
        assertThat(Set.of(s.event())).containsExactly(StepEvent.RETRY);
    }
}
