package dev.sluice.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.expr.Expressions;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.store.AttemptRecord;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import dev.sluice.engine.store.TaskRecord;
import dev.sluice.worker.artifact.ContentStore;
import dev.sluice.worker.exec.LocalExecutor;
import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.LogSink;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerTest {

    @TempDir
    Path dir;

    private Store store;
    private LocalExecutor executor;

    @BeforeEach
    void open() {
        store = Stores.open(null, dir.resolve("data"));
        executor = new LocalExecutor(new ContentStore(dir.resolve("artifacts")), dir.resolve("work"), "test", Duration.ofMillis(500));
    }

    @AfterEach
    void close() {
        executor.close();
        store.close();
    }

    private record Started(Plan plan, Change.CreateRun create) {}

    private Started create(String yaml) {
        ParseResult parsed = PipelineLoader.parse("p.yaml", yaml, dir);
        assertThat(parsed.problems()).isEmpty();
        Plan plan = Planner.plan(parsed.pipeline());
        var version = store.savePipeline(parsed.pipeline().name(), yaml);
        Instant now = Instant.now();
        Change.CreateRun create = NewRun.create(NewRun.newId(now), version, plan, Map.of(), "test", now, now, null);
        store.commit(List.of(create));
        return new Started(plan, create);
    }

    private Scheduler scheduler(Dispatcher dispatcher) {
        return new Scheduler(store, dispatcher, new ContentStore(dir.resolve("artifacts")), new Expressions(),
                Clock.systemUTC(), "test", TaskRequest.DEFAULT_MAX_LOG_BYTES, RunListener.NONE);
    }

    @Test
    void cancellingARunKillsItsStepAndStartsNoRetry() throws Exception {
        Started s = create("""
                name: cancel-me
                steps:
                  - id: slow
                    run: sleep 30
                    retries: 3
                    retry_delay: 10ms
                  - id: after
                    needs: [slow]
                    run: echo never
                """);
        try (Scheduler scheduler = scheduler(new LocalDispatcher(executor, "test", 2, Set.of()))) {
            CompletableFuture<RunRecord> done = scheduler.start(s.plan(), s.create().run(), s.create().tasks());
            String runId = s.create().run().id();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    store.tasks(runId).stream().anyMatch(t -> t.status() == StepState.RUNNING));
            scheduler.cancel(runId);

            RunRecord end = done.get(20, TimeUnit.SECONDS);
            assertThat(end.status()).isEqualTo(RunState.CANCELLED);
            assertThat(store.tasks(runId)).extracting(TaskRecord::status).containsOnly(StepState.CANCELLED);
            assertThat(store.attempts(runId)).hasSize(1).extracting(AttemptRecord::reason).containsExactly("cancelled");
        }
    }

    @Test
    void aWorkerThatCannotTakeAStepFailsItInsteadOfHangingTheRun() throws Exception {
        Started s = create("""
                name: broken-worker
                steps:
                  - id: a
                    run: echo a
                  - id: b
                    needs: [a]
                    run: echo b
                """);
        Dispatcher broken = new FakeDispatcher("broken") {
            @Override
            public CompletableFuture<TaskResult> dispatch(TaskRequest request, Placement placement, LogSink sink) {
                return CompletableFuture.failedFuture(new IllegalStateException("worker closed"));
            }
        };
        try (Scheduler scheduler = scheduler(broken)) {
            RunRecord end = scheduler.start(s.plan(), s.create().run(), s.create().tasks()).get(20, TimeUnit.SECONDS);
            assertThat(end.status()).isEqualTo(RunState.FAILED);
            String runId = end.id();
            assertThat(store.attempts(runId)).singleElement().satisfies(a ->
                    assertThat(a.error()).contains("the worker could not run the step").contains("worker closed"));
            assertThat(store.tasks(runId)).extracting(TaskRecord::status).containsExactly(StepState.FAILED, StepState.SKIPPED);
        }
    }

    @Test
    void aFanOutWhoseStepsEndTogetherDispatchesAndReportsEachStepOnlyOnceItsStateIsStored() throws Exception {
        StringBuilder yaml = new StringBuilder("name: fan\nsteps:\n  - {id: root, run: 'true'}\n");
        for (int i = 0; i < 30; i++) yaml.append("  - {id: s").append(i).append(", run: 'true', needs: [root]}\n");
        yaml.append("  - {id: sink, run: 'true', needs: [").append(String.join(", ",
                java.util.stream.IntStream.range(0, 30).mapToObj(i -> "s" + i).toList())).append("]}\n");
        Started s = create(yaml.toString());
        String runId = s.create().run().id();
        List<String> broken = new java.util.concurrent.CopyOnWriteArrayList<>();
        // results held back and released in bursts: the scheduler sees many steps end at once
        List<CompletableFuture<TaskResult>> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        Dispatcher bursts = new FakeDispatcher("bursts") {
            @Override
            public int freeSlots() {
                return 8;
            }

            @Override
            public CompletableFuture<TaskResult> dispatch(TaskRequest request, Placement placement, LogSink sink) {
                AttemptKey key = request.key();
                boolean stored = store.attempts(runId).stream().anyMatch(a -> a.taskId().equals(key.taskId())
                        && a.attempt() == key.attempt() && a.status().equals("RUNNING"));
                if (!stored) broken.add("dispatched before its attempt was stored: " + key);
                CompletableFuture<TaskResult> result = new CompletableFuture<>();
                held.add(result);
                // the 30 are dispatched in one turn: released 6 at a time
                if (held.size() >= 6 || key.taskId().equals("root") || key.taskId().equals("sink")) release();
                return result.thenApply(x -> new TaskResult(key, TaskResult.Outcome.SUCCEEDED, 0, null, Instant.now(),
                        Instant.now(), List.of(), Map.of(), "bursts"));
            }

            private void release() {
                List<CompletableFuture<TaskResult>> now = List.copyOf(held);
                held.clear();
                CompletableFuture.runAsync(() -> now.forEach(f -> f.complete(null)));
            }
        };
        RunListener checks = new RunListener() {
            @Override
            public void taskChanged(RunRecord run, TaskRecord task) {
                StepState stored = store.tasks(runId).stream().filter(t -> t.taskId().equals(task.taskId()))
                        .findFirst().orElseThrow().status();
                // a later turn may have moved it on already, never can the store be behind what is reported
                if (stored.ordinal() < task.status().ordinal()) broken.add("reported " + task.taskId() + " " + task.status() + " while stored " + stored);
            }
        };
        try (Scheduler scheduler = new Scheduler(store, bursts, new ContentStore(dir.resolve("artifacts")),
                new Expressions(), Clock.systemUTC(), "test", TaskRequest.DEFAULT_MAX_LOG_BYTES, checks)) {
            RunRecord end = scheduler.start(s.plan(), s.create().run(), s.create().tasks()).get(30, TimeUnit.SECONDS);
            assertThat(end.status()).isEqualTo(RunState.SUCCEEDED);
        }
        assertThat(broken).isEmpty();
        assertThat(store.tasks(runId)).extracting(TaskRecord::status).containsOnly(StepState.SUCCEEDED);
        assertThat(store.events(runId, 0, 1000)).filteredOn(e -> e.taskId() != null)
                .extracting(e -> e.status() + " " + e.attempt())
                .containsOnly("QUEUED 0", "RUNNING 1", "SUCCEEDED 1").hasSize(32 * 3);
    }

    @Test
    void aStepNoWorkerCanTakeSaysWhyItWaitsEvenWithNoFreeSlotAnywhere() throws Exception {
        Started s = create("""
                name: needs-gpu
                steps:
                  - id: train
                    run: echo train
                    worker: {labels: [gpu]}
                """);
        Dispatcher none = new FakeDispatcher("none") {
            @Override
            public Placement place(List<String> labels) {
                return Placement.waiting(Placement.noWorker(labels));
            }

            @Override
            public int freeSlots() {
                return 0; // no worker joined, no local worker: no slots at all
            }

            @Override
            public CompletableFuture<TaskResult> dispatch(TaskRequest request, Placement placement, LogSink sink) {
                throw new AssertionError("nothing can be placed");
            }
        };
        try (Scheduler scheduler = scheduler(none)) {
            scheduler.start(s.plan(), s.create().run(), s.create().tasks());
            String runId = s.create().run().id();
            await().atMost(Duration.ofSeconds(10)).until(() -> "no worker with labels [gpu]".equals(store.tasks(runId).get(0).reason()));
            assertThat(store.tasks(runId).get(0).status()).isEqualTo(StepState.QUEUED);
        }
    }

    @Test
    void resumingARunAfterAnEngineStopRunsOnlyWhatHadNotSucceeded() throws Exception {
        Started s = create("""
                name: resume-me
                steps:
                  - id: a
                    run: echo a > "$SLUICE_OUTPUTS/a.txt"
                    outputs: [a.txt]
                  - id: b
                    needs: [a]
                    run: cat "$SLUICE_INPUTS/a/a.txt"
                """);
        String runId = s.create().run().id();
        // the state a killed engine leaves: a SUCCEEDED with its output, b RUNNING in attempt 1
        try (Scheduler first = scheduler(new LocalDispatcher(executor, "test", 2, Set.of()))) {
            Dispatcher neverEnds = new FakeDispatcher("lost") {
                @Override
                public CompletableFuture<TaskResult> dispatch(TaskRequest request, Placement placement, LogSink sink) {
                    return request.key().taskId().equals("a") ? executor.start(request, sink) : new CompletableFuture<>();
                }
            };
            try (Scheduler crashing = scheduler(neverEnds)) {
                crashing.start(s.plan(), s.create().run(), s.create().tasks());
                await().atMost(Duration.ofSeconds(10)).until(() -> store.tasks(runId).stream()
                        .anyMatch(t -> t.taskId().equals("b") && t.status() == StepState.RUNNING));
            }

            RunRecord end = first.resume(s.plan(), runId).get(20, TimeUnit.SECONDS);

            assertThat(end.status()).isEqualTo(RunState.SUCCEEDED);
            List<AttemptRecord> attempts = store.attempts(runId);
            assertThat(attempts).filteredOn(a -> a.taskId().equals("a")).hasSize(1);
            assertThat(attempts).filteredOn(a -> a.taskId().equals("b"))
                    .extracting(AttemptRecord::attempt, AttemptRecord::status, AttemptRecord::reason, AttemptRecord::counted)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1, "FAILED", "engine restart", false),
                            org.assertj.core.groups.Tuple.tuple(2, "SUCCEEDED", null, false));
            assertThat(store.log(runId, "b", 2)).contains("out a");
        }
    }

    private Started createAgain(Started first) {
        Instant now = Instant.now();
        var version = store.latestPipeline(first.create().run().pipeline()).orElseThrow();
        Change.CreateRun create = NewRun.create(NewRun.newId(now), version, first.plan(), Map.of(), "test", now, now, null);
        store.commit(List.of(create));
        return new Started(first.plan(), create);
    }

    private CompletableFuture<RunRecord> start(Scheduler scheduler, Started s) {
        return scheduler.start(s.plan(), s.create().run(), s.create().tasks());
    }

    @Test
    void runsOverThePipelinesConcurrencyWaitQueuedAndStartInOrder() throws Exception {
        Path gate = dir.resolve("gate");
        Started first = create("""
                name: one-at-a-time
                concurrency: 1
                steps:
                  - id: wait
                    run: while [ ! -e %s ]; do sleep 0.02; done
                """.formatted(gate));
        Started second = createAgain(first);
        Started third = createAgain(first);
        try (Scheduler scheduler = scheduler(new LocalDispatcher(executor, "test", 2, Set.of()))) {
            CompletableFuture<RunRecord> a = start(scheduler, first);
            CompletableFuture<RunRecord> b = start(scheduler, second);
            CompletableFuture<RunRecord> c = start(scheduler, third);
            await().atMost(Duration.ofSeconds(10)).until(() -> status(first) == RunState.RUNNING);
            assertThat(status(second)).isEqualTo(RunState.QUEUED);
            assertThat(status(third)).isEqualTo(RunState.QUEUED);

            scheduler.cancel(third.create().run().id());
            assertThat(c.get(10, TimeUnit.SECONDS).status()).as("a waiting run cancels at once").isEqualTo(RunState.CANCELLED);
            assertThat(store.tasks(third.create().run().id())).extracting(TaskRecord::status).containsOnly(StepState.CANCELLED);

            java.nio.file.Files.writeString(gate, "go");
            assertThat(a.get(10, TimeUnit.SECONDS).status()).isEqualTo(RunState.SUCCEEDED);
            RunRecord end = b.get(10, TimeUnit.SECONDS);
            assertThat(end.status()).isEqualTo(RunState.SUCCEEDED);
            assertThat(end.startedAt()).isAfterOrEqualTo(a.get().endedAt());
        }
    }

    @Test
    void runsOverTheSchedulersLimitWaitQueuedAndStartOldestFirstAcrossPipelines() throws Exception {
        Path gate = dir.resolve("gate");
        Started a1 = gated("alpha", gate);
        Started a2 = createAgain(a1);
        Started b1 = create("""
                name: beta
                steps:
                  - id: one
                    run: echo one
                  - id: two
                    needs: [one]
                    run: echo two
                """);
        Started a3 = createAgain(a1);
        Started b2 = createAgain(b1);
        List<String> started = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        RunListener order = new RunListener() {
            @Override
            public void runChanged(RunRecord run) {
                if (run.status() == RunState.RUNNING) started.add(run.id());
            }
        };
        try (Scheduler scheduler = limited(2, order)) {
            List<Started> all = List.of(a1, a2, b1, a3, b2);
            List<CompletableFuture<RunRecord>> ends = all.stream().map(s -> start(scheduler, s)).toList();
            await().atMost(Duration.ofSeconds(10)).until(() -> status(a1) == RunState.RUNNING && status(a2) == RunState.RUNNING);
            assertThat(List.of(status(b1), status(a3), status(b2))).as("two runs at most, whatever their pipeline")
                    .containsOnly(RunState.QUEUED);
            assertThat(store.tasks(b1.create().run().id())).extracting(TaskRecord::status).containsOnly(StepState.PENDING);

            scheduler.cancel(a3.create().run().id());
            assertThat(ends.get(3).get(10, TimeUnit.SECONDS).status()).as("a waiting run cancels at once").isEqualTo(RunState.CANCELLED);
            assertThat(store.tasks(a3.create().run().id())).extracting(TaskRecord::status).containsOnly(StepState.CANCELLED);
            assertThat(store.attempts(a3.create().run().id())).isEmpty();

            java.nio.file.Files.writeString(gate, "go");
            for (CompletableFuture<RunRecord> end : List.of(ends.get(0), ends.get(1), ends.get(2), ends.get(4))) {
                assertThat(end.get(20, TimeUnit.SECONDS).status()).isEqualTo(RunState.SUCCEEDED);
            }
            assertThat(store.tasks(b2.create().run().id())).extracting(TaskRecord::status).containsOnly(StepState.SUCCEEDED);
            assertThat(started).as("waiting runs start oldest first, across pipelines").containsExactly(
                    a1.create().run().id(), a2.create().run().id(), b1.create().run().id(), b2.create().run().id());
        }
    }

    @Test
    void aWaitingRunThatEndedElsewhereMeanwhileIsNotStarted() throws Exception {
        Path gate = dir.resolve("gate");
        Started first = gated("alpha", gate);
        Started second = createAgain(first);
        String secondId = second.create().run().id();
        try (Scheduler scheduler = limited(1, RunListener.NONE)) {
            CompletableFuture<RunRecord> firstEnd = start(scheduler, first);
            CompletableFuture<RunRecord> secondEnd = start(scheduler, second);
            await().atMost(Duration.ofSeconds(10)).until(() -> status(first) == RunState.RUNNING);
            assertThat(scheduler.has(secondId)).as("the second run waits for room").isTrue();
            // another server (or a person with the store's tools) ends the waiting run meanwhile
            store.commit(List.of(new Change.SetRunState(secondId, RunState.QUEUED, RunState.CANCELLED, Instant.now(), null)));

            java.nio.file.Files.writeString(gate, "go");
            assertThat(firstEnd.get(20, TimeUnit.SECONDS).status()).isEqualTo(RunState.SUCCEEDED);
            assertThat(secondEnd.get(10, TimeUnit.SECONDS).status()).as("its future gets the stored state").isEqualTo(RunState.CANCELLED);
            assertThat(store.attempts(secondId)).as("no step of it started").isEmpty();
            assertThat(scheduler.has(secondId)).isFalse();
        }
    }

    private RunState status(Started s) {
        return store.run(s.create().run().id()).orElseThrow().status();
    }

    /** A one-step pipeline whose step runs until {@code gate} exists. */
    private Started gated(String name, Path gate) {
        return create("""
                name: %s
                steps:
                  - id: wait
                    run: while [ ! -e %s ]; do sleep 0.02; done
                """.formatted(name, gate));
    }

    /** A scheduler with 4 local slots that keeps at most {@code maxActiveRuns} runs active. */
    private Scheduler limited(int maxActiveRuns, RunListener listener) {
        return new Scheduler(store, new LocalDispatcher(executor, "test", 4, Set.of()),
                new ContentStore(dir.resolve("artifacts")), new Expressions(), Clock.systemUTC(), "test",
                TaskRequest.DEFAULT_MAX_LOG_BYTES, listener, maxActiveRuns);
    }

    @Test
    void retryingAFailedRunRunsOnlyItsFailedSkippedAndCancelledSteps() throws Exception {
        Path fixed = dir.resolve("fixed");
        Started s = create("""
                name: flaky
                steps:
                  - id: ok
                    run: echo ok
                  - id: shaky
                    needs: [ok]
                    retries: 1
                    retry_delay: 10ms
                    run: test -e %s
                  - id: after
                    needs: [shaky]
                    run: echo after
                """.formatted(fixed));
        String runId = s.create().run().id();
        try (Scheduler scheduler = scheduler(new LocalDispatcher(executor, "test", 2, Set.of()))) {
            assertThat(start(scheduler, s).get(20, TimeUnit.SECONDS).status()).isEqualTo(RunState.FAILED);
            java.nio.file.Files.writeString(fixed, "");

            RunRecord end = scheduler.retry(s.plan(), runId).get(20, TimeUnit.SECONDS);

            assertThat(end.status()).isEqualTo(RunState.SUCCEEDED);
            assertThat(store.attempts(runId)).extracting(x -> x.taskId() + "#" + x.attempt() + " " + x.status())
                    .containsExactly("ok#1 SUCCEEDED", "shaky#1 FAILED", "shaky#2 FAILED", "shaky#3 SUCCEEDED", "after#1 SUCCEEDED");
            assertThat(store.tasks(runId)).extracting(TaskRecord::retriesUsed).containsExactly(0, 0, 0);
            assertThatThrownBy(() -> scheduler.retry(s.plan(), runId).get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("is SUCCEEDED");
        }
    }

    @Test
    void drainingLetsShortStepsFinishAndRecordsKilledOnesAsInterruptedForTheNextEngine() throws Exception {
        Started s = create("""
                name: drain-me
                steps:
                  - id: quick
                    run: sleep 0.3
                  - id: long
                    run: sleep 60
                    retries: 0
                  - id: next
                    needs: [quick]
                    run: echo next
                """);
        String runId = s.create().run().id();
        try (Scheduler scheduler = scheduler(new LocalDispatcher(executor, "test", 2, Set.of()))) {
            start(scheduler, s);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    store.tasks(runId).stream().filter(t -> t.status() == StepState.RUNNING).count() == 2);

            assertThat(scheduler.drain(Duration.ofSeconds(2))).as("attempts killed").isEqualTo(1);

            assertThat(store.run(runId).orElseThrow().status()).as("left for the next engine").isEqualTo(RunState.RUNNING);
            Map<String, StepState> states = new java.util.HashMap<>();
            store.tasks(runId).forEach(t -> states.put(t.taskId(), t.status()));
            assertThat(states).containsEntry("quick", StepState.SUCCEEDED).containsEntry("long", StepState.QUEUED)
                    .as("nothing starts while draining").containsEntry("next", StepState.QUEUED);
            assertThat(store.attempts(runId)).filteredOn(x -> x.taskId().equals("long")).singleElement()
                    .satisfies(x -> {
                        assertThat(x.reason()).isEqualTo(Scheduler.INTERRUPTED);
                        assertThat(x.counted()).isFalse();
                    });
        }
    }
}
