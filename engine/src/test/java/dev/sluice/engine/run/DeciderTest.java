package dev.sluice.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.run.Decider.AttemptOutcome;
import dev.sluice.engine.run.Snapshot.TaskView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeciderTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private static int position;

    private static TaskView task(String id, StepState state, String... needs) {
        return view(id, state, false, null, needs);
    }

    private static TaskView view(String id, StepState state, boolean hasCondition, Instant notBefore, String... needs) {
        return new TaskView(id, position++, state, List.of(needs), hasCondition, notBefore);
    }

    private static Decision decide(RunState run, int slots, TaskView... tasks) {
        return Decider.decide(snapshot(run, slots, tasks), id -> true, NOW);
    }

    /** A snapshot of a whole run: every PENDING task is a candidate. */
    private static Snapshot snapshot(RunState run, int slots, TaskView... tasks) {
        Map<String, TaskView> byId = new LinkedHashMap<>();
        for (TaskView t : tasks) byId.put(t.id(), t);
        Snapshot.Graph graph = new Snapshot.Graph() {
            @Override
            public StepState state(String taskId) {
                return byId.get(taskId).state();
            }

            @Override
            public List<TaskView> dependents(String taskId) {
                return byId.values().stream().filter(t -> t.needs().contains(taskId)).toList();
            }
        };
        List<TaskView> all = List.of(tasks);
        return new Snapshot(run,
                all.stream().filter(t -> t.state() == StepState.PENDING).toList(),
                all.stream().filter(t -> t.state() == StepState.QUEUED).toList(),
                graph, slots,
                (int) all.stream().filter(t -> !t.state().terminal()).count(),
                (int) all.stream().filter(t -> t.state() == StepState.FAILED).count(),
                (int) all.stream().filter(t -> t.state() == StepState.CANCELLED).count());
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
        Snapshot s = snapshot(RunState.RUNNING, 2,
                task("evaluate", StepState.SUCCEEDED),
                view("register", StepState.PENDING, true, null, "evaluate"),
                task("announce", StepState.PENDING, "register"));
        Decision d = Decider.decide(s, id -> false, NOW);
        assertThat(d.skip()).containsEntry("register", "condition false").containsEntry("announce", "upstream skipped: register");
        assertThat(d.run()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void failsAStepWhoseConditionCannotBeEvaluated() {
        Snapshot s = snapshot(RunState.RUNNING, 2,
                task("a", StepState.SUCCEEDED),
                view("b", StepState.PENDING, true, null, "a"));
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
        Decision d = Decider.decide(snapshot(RunState.RUNNING, 2, view("a", StepState.QUEUED, false, later)), id -> true, NOW);
        assertThat(d.dispatch()).isEmpty();
        assertThat(d.wakeAt()).isEqualTo(later);
        Decision due = Decider.decide(snapshot(RunState.RUNNING, 2, view("a", StepState.QUEUED, false, NOW)), id -> true, NOW);
        assertThat(due.dispatch()).containsExactly("a");
    }

    @Test
    void settlesALongChainOfSkipsInOneDecision() {
        List<TaskView> chain = new java.util.ArrayList<>(List.of(task("t0", StepState.FAILED)));
        for (int i = 1; i <= 500; i++) chain.add(task("t" + i, StepState.PENDING, "t" + (i - 1)));
        Snapshot full = snapshot(RunState.RUNNING, 2, chain.toArray(TaskView[]::new));
        // only the first dependent is a candidate, as after t0 failed: the rest follow through the graph
        Snapshot s = new Snapshot(full.run(), List.of(chain.get(1)), List.of(), full.graph(), 2, 500, 1, 0);
        Decision d = Decider.decide(s, id -> true, NOW);
        assertThat(d.skip()).hasSize(500).containsEntry("t1", "upstream failed: t0").containsEntry("t500", "upstream skipped: t499");
        assertThat(d.run()).isEqualTo(RunState.FAILED);
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
