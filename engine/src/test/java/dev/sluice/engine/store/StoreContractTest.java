package dev.sluice.engine.store;

import static dev.sluice.engine.store.StoreFixtures.T0;
import static dev.sluice.engine.store.StoreFixtures.at;
import static dev.sluice.engine.store.StoreFixtures.create;
import static dev.sluice.engine.store.StoreFixtures.file;
import static dev.sluice.engine.store.StoreFixtures.finish;
import static dev.sluice.engine.store.StoreFixtures.run;
import static dev.sluice.engine.store.StoreFixtures.runState;
import static dev.sluice.engine.store.StoreFixtures.start;
import static dev.sluice.engine.store.StoreFixtures.succeed;
import static dev.sluice.engine.store.StoreFixtures.task;
import static dev.sluice.engine.store.StoreFixtures.taskState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.store.Change.AppendLog;
import dev.sluice.engine.store.Change.CreateRun;
import dev.sluice.engine.store.Change.PutCache;
import dev.sluice.engine.store.Change.SetRunOwner;
import dev.sluice.engine.store.Change.SetRunState;
import dev.sluice.engine.store.Change.SetTaskState;
import dev.sluice.worker.protocol.Artifact;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link Store} must do; run against H2 and PostgreSQL by the subclasses. */
abstract class StoreContractTest {

    protected Store store;

    /** A store on a new, empty database. */
    protected abstract Store openStore();

    /** A plain connection to the database of the last store opened, to look at what was written. */
    protected abstract Connection rawConnection() throws SQLException;

    @BeforeAll
    static void quietLibraries() {
        QuietLogs.apply();
    }

    @BeforeEach
    void openTheStore() {
        store = openStore();
    }

    @AfterEach
    void closeTheStore() {
        store.close();
    }

    // ---- pipeline versions

    @Test
    void savesPipelineTextsAsIncreasingVersionsWithTheirSha256() {
        PipelineVersion first = store.savePipeline("churn", "name: churn\n");
        PipelineVersion second = store.savePipeline("churn", "name: churn\n# v2\n");

        assertThat(first.version()).isEqualTo(1);
        assertThat(second.version()).isEqualTo(2);
        assertThat(first.sha256()).isEqualTo(JdbcStore.sha256("name: churn\n"));
        assertThat(second.sha256()).isEqualTo(JdbcStore.sha256("name: churn\n# v2\n"));
        assertThat(store.pipelineVersions("churn")).containsExactly(first, second);
        assertThat(store.pipelineVersion("churn", 1)).contains(first);
        assertThat(store.latestPipeline("churn")).contains(second);
    }

    @Test
    void listsEachSavedPipelineNameOnceInAlphabeticalOrder() {
        assertThat(store.pipelineNames()).isEmpty();
        store.savePipeline("training", "name: training\n");
        store.savePipeline("etl", "name: etl\n");
        store.savePipeline("training", "name: training\n# v2\n");

        assertThat(store.pipelineNames()).containsExactly("etl", "training");
    }

    @Test
    void computesTheSha256OfTheUtf8Text() {
        assertThat(JdbcStore.sha256("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void savingTheLatestTextAgainReturnsTheSameVersion() {
        PipelineVersion first = store.savePipeline("churn", "steps: []\n");

        PipelineVersion again = store.savePipeline("churn", "steps: []\n");

        assertThat(again).isEqualTo(first);
        assertThat(store.pipelineVersions("churn")).hasSize(1);
    }

    @Test
    void savingAnOlderTextAgainMakesANewVersion() {
        store.savePipeline("churn", "a");
        store.savePipeline("churn", "b");

        PipelineVersion third = store.savePipeline("churn", "a");

        assertThat(third.version()).isEqualTo(3);
        assertThat(third.sha256()).isEqualTo(store.pipelineVersion("churn", 1).orElseThrow().sha256());
    }

    @Test
    void countsVersionsPerPipelineName() {
        store.savePipeline("churn", "a");
        store.savePipeline("churn", "b");

        assertThat(store.savePipeline("etl", "a").version()).isEqualTo(1);
        assertThat(store.latestPipeline("nothing")).isEmpty();
        assertThat(store.pipelineVersion("churn", 7)).isEmpty();
        assertThat(store.pipelineVersions("nothing")).isEmpty();
    }

    // ---- designer positions

    @Test
    void keepsDesignerPositionsPerPipelineAndStepReplacingThemAllOnSave() {
        store.savePipeline("etl", "a");
        store.savePipeline("churn", "a");
        assertThat(store.positions("etl")).isEmpty();

        assertThat(store.savePositions("etl", Map.of("load", new Position(10, 20.5), "extract", new Position(-3, 0)))).isTrue();
        store.savePositions("churn", Map.of("train", new Position(1, 2)));

        assertThat(store.positions("etl")).containsExactly(Map.entry("extract", new Position(-3, 0)),
                Map.entry("load", new Position(10, 20.5)));

        store.savePositions("etl", Map.of("load", new Position(7, 8)));
        assertThat(store.positions("etl")).containsExactly(Map.entry("load", new Position(7, 8)));
        assertThat(store.positions("churn")).containsOnlyKeys("train");

        store.savePositions("etl", Map.of());
        assertThat(store.positions("etl")).isEmpty();
    }

    @Test
    void savesNoPositionsForAPipelineNeverSaved() {
        assertThat(store.savePositions("nothing", Map.of("a", new Position(1, 1)))).isFalse();
        assertThat(store.positions("nothing")).isEmpty();
    }

    @Test
    void positionsOutliveANewVersionOfTheirPipeline() {
        store.savePipeline("etl", "a");
        store.savePositions("etl", Map.of("load", new Position(1, 2)));

        store.savePipeline("etl", "b");

        assertThat(store.positions("etl")).containsEntry("load", new Position(1, 2));
    }

    // ---- pipeline state: paused, deleted, schedule since

    @Test
    void aNewPipelineIsActiveAndItsScheduleCountsFromItsCreation() {
        PipelineVersion v1 = store.savePipeline("churn", "a");

        PipelineState state = store.pipelineState("churn").orElseThrow();

        assertThat(state.paused()).isFalse();
        assertThat(state.deleted()).isFalse();
        assertThat(state.latestVersion()).isEqualTo(1);
        assertThat(state.scheduleSince()).isEqualTo(v1.createdAt());
        assertThat(store.pipelineState("nothing")).isEmpty();
    }

    @Test
    void aNewVersionLeavesTheScheduleStartAlone() {
        PipelineVersion v1 = store.savePipeline("churn", "a");
        store.savePipeline("churn", "b");

        assertThat(store.pipelineState("churn").orElseThrow().scheduleSince()).isEqualTo(v1.createdAt());
    }

    @Test
    void pausesAndUnpausesAndUnpausingMovesTheScheduleStartToNow() {
        PipelineVersion v1 = store.savePipeline("churn", "a");

        PipelineState paused = store.setPaused("churn", true).orElseThrow();
        assertThat(paused.paused()).isTrue();
        assertThat(paused.scheduleSince()).isEqualTo(v1.createdAt());
        assertThat(store.setPaused("churn", true).orElseThrow().scheduleSince()).as("pausing twice changes nothing")
                .isEqualTo(v1.createdAt());

        PipelineState unpaused = store.setPaused("churn", false).orElseThrow();
        assertThat(unpaused.paused()).isFalse();
        assertThat(unpaused.scheduleSince()).isAfter(v1.createdAt());
        assertThat(store.setPaused("churn", false).orElseThrow().scheduleSince())
                .as("unpausing an active pipeline changes nothing").isEqualTo(unpaused.scheduleSince());
    }

    @Test
    void cannotPauseAnUnknownOrDeletedPipeline() {
        store.savePipeline("churn", "a");
        store.deletePipeline("churn");

        assertThat(store.setPaused("churn", true)).isEmpty();
        assertThat(store.setPaused("churn", false)).isEmpty();
        assertThat(store.setPaused("nothing", true)).isEmpty();
        assertThat(store.pipelineState("churn").orElseThrow().paused()).isFalse();
    }

    @Test
    void aDeletedPipelineLeavesTheListsButKeepsItsVersionsAndRuns() {
        store.savePipeline("churn", "a");
        store.savePipeline("etl", "b");
        store.commit(List.of(create(run("r1"), "a")));

        assertThat(store.deletePipeline("churn")).isTrue();
        assertThat(store.deletePipeline("churn")).as("already deleted").isFalse();
        assertThat(store.deletePipeline("nothing")).isFalse();

        assertThat(store.pipelineNames()).containsExactly("etl");
        assertThat(store.pipelineStates()).extracting(PipelineState::name).containsExactly("etl");
        assertThat(store.latestPipeline("churn")).isEmpty();
        assertThat(store.pipelineVersion("churn", 1)).isPresent();
        assertThat(store.pipelineVersions("churn")).hasSize(1);
        assertThat(store.run("r1")).isPresent();
        assertThat(store.pipelineState("churn").orElseThrow().deleted()).isTrue();
    }

    @Test
    void savingADeletedNameBringsItBackActiveWithTheNextVersionNumber() {
        store.savePipeline("churn", "a");
        store.savePipeline("churn", "b");
        store.setPaused("churn", true);
        store.deletePipeline("churn");

        PipelineVersion back = store.savePipeline("churn", "c");

        assertThat(back.version()).isEqualTo(3);
        assertThat(store.latestPipeline("churn")).contains(back);
        PipelineState state = store.pipelineState("churn").orElseThrow();
        assertThat(state.deleted()).isFalse();
        assertThat(state.paused()).isFalse();
        assertThat(state.scheduleSince()).isEqualTo(back.createdAt());
        assertThat(store.pipelineNames()).containsExactly("churn");
    }

    @Test
    void savingTheDeletedTextAgainBringsItBackWithoutANewVersion() {
        PipelineVersion v1 = store.savePipeline("churn", "a");
        store.deletePipeline("churn");

        assertThat(store.savePipeline("churn", "a")).isEqualTo(v1);
        assertThat(store.latestPipeline("churn")).contains(v1);
        assertThat(store.pipelineState("churn").orElseThrow().scheduleSince()).isAfter(v1.createdAt());
    }

    @Test
    void findsTheLatestScheduleTickOfAPipeline() {
        assertThat(store.latestScheduleTick("churn")).isEmpty();
        store.commit(List.of(
                new CreateRun(new RunRecord("s1", "churn", 1, RunState.QUEUED, Map.of(), at(60), "schedule", at(61),
                        null, null, null, null, null), List.of()),
                new CreateRun(new RunRecord("s2", "churn", 1, RunState.QUEUED, Map.of(), at(120), "schedule", at(62),
                        null, null, null, null, null), List.of()),
                new CreateRun(new RunRecord("m1", "churn", 1, RunState.QUEUED, Map.of(), at(600), "manual", at(63),
                        null, null, null, null, null), List.of()),
                new CreateRun(new RunRecord("s3", "etl", 1, RunState.QUEUED, Map.of(), at(900), "schedule", at(64),
                        null, null, null, null, null), List.of())));

        assertThat(store.latestScheduleTick("churn")).as("manual runs do not count").contains(at(120));
        assertThat(store.latestScheduleTick("etl")).contains(at(900));
    }

    @Test
    void findsTheNewestRunOfEachPipeline() {
        assertThat(store.latestRuns()).isEmpty();
        store.commit(List.of(
                create(run("c1", "churn", RunState.SUCCEEDED, at(1))),
                create(run("c2", "churn", RunState.FAILED, at(2))),
                create(run("e1", "etl", RunState.QUEUED, at(1)))));

        Map<String, RunRecord> newest = store.latestRuns();

        assertThat(newest).containsOnlyKeys("churn", "etl");
        assertThat(newest.get("churn").id()).isEqualTo("c2");
        assertThat(newest.get("churn").status()).isEqualTo(RunState.FAILED);
        assertThat(newest.get("etl").id()).isEqualTo("e1");
    }

    @Test
    void keepsALargePipelineTextWhole() {
        String text = "# " + "x".repeat(1_100_000) + "\n";

        store.savePipeline("big", text);

        assertThat(store.latestPipeline("big").orElseThrow().text()).isEqualTo(text);
    }

    // ---- runs and tasks

    @Test
    void createsARunWithItsTasksInPlanOrder() {
        RunRecord run = new RunRecord("r1", "churn", 3, RunState.QUEUED, Map.of("rows", 5000L), at(-60), "schedule",
                T0, null, null, "cli:host:42:1", at(1), null);
        TaskRecord train = new TaskRecord("r1", "train[c=0.1]", "train", 1, Map.of("c", 0.1), StepState.PENDING,
                null, 0, 0, false, null, null, null, null);
        TaskRecord extract = task("r1", "extract", 0);

        store.commit(List.of(new CreateRun(run, List.of(train, extract))));

        assertThat(store.run("r1")).contains(run);
        assertThat(store.tasks("r1")).containsExactly(extract, train);
        assertThat(store.run("r2")).isEmpty();
        assertThat(store.tasks("r2")).isEmpty();
    }

    @Test
    void paramsAndMatrixValuesKeepTheirTypes() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("rows", 5000L);
        params.put("big", Long.MAX_VALUE);
        params.put("min_auc", 0.75);
        params.put("whole", 1.0);
        params.put("flag", true);
        params.put("name", "0042");
        params.put("quote", "it's \"quoted\" ${{ x }}");
        RunRecord run = new RunRecord("r1", "churn", 1, RunState.QUEUED, params, T0, "manual", T0, null, null,
                null, null, null);
        TaskRecord variant = new TaskRecord("r1", "train[c=1.0,k=3]", "train", 0, Map.of("c", 1.0, "k", 3L),
                StepState.PENDING, null, 0, 0, false, null, null, null, null);

        store.commit(List.of(new CreateRun(run, List.of(variant))));

        Map<String, Object> stored = store.run("r1").orElseThrow().params();
        assertThat(stored).containsExactlyEntriesOf(params);
        assertThat(stored.get("rows")).isInstanceOf(Long.class);
        assertThat(stored.get("whole")).isInstanceOf(Double.class);
        assertThat(stored.get("flag")).isInstanceOf(Boolean.class);
        assertThat(stored.get("name")).isInstanceOf(String.class);
        Map<String, Object> matrix = store.tasks("r1").get(0).matrix();
        assertThat(matrix.get("c")).isEqualTo(1.0);
        assertThat(matrix.get("k")).isEqualTo(3L);
    }

    @Test
    void refusesParamValuesThatAreNotScalars() {
        RunRecord run = new RunRecord("r1", "churn", 1, RunState.QUEUED, Map.of("list", List.of(1)), T0, "manual",
                T0, null, null, null, null, null);

        assertThatThrownBy(() -> store.commit(List.of(new CreateRun(run, List.of()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("list");
        assertThat(store.run("r1")).isEmpty();
    }

    @Test
    void creatingARunTwiceIsAConflict() {
        store.commit(List.of(create(run("r1"), "a")));

        assertThatThrownBy(() -> store.commit(List.of(create(run("r1"), "b"))))
                .isInstanceOf(ConflictException.class)
                .hasMessage("run r1 already exists");
        assertThat(store.tasks("r1")).extracting(TaskRecord::taskId).containsExactly("a");
    }

    @Test
    void aScheduleTickMakesAtMostOneRun() {
        RunRecord tick = new RunRecord("s1", "churn", 1, RunState.QUEUED, Map.of(), T0, "schedule", T0, null, null,
                null, null, null);
        store.commit(List.of(new CreateRun(tick, List.of())));

        RunRecord again = new RunRecord("s2", "churn", 1, RunState.QUEUED, Map.of(), T0, "schedule", at(5), null,
                null, null, null, null);
        assertThatThrownBy(() -> store.commit(List.of(new CreateRun(again, List.of()))))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("already has a scheduled run for " + T0);

        RunRecord manual = new RunRecord("m1", "churn", 1, RunState.QUEUED, Map.of(), T0, "manual", at(5), null,
                null, null, null, null);
        RunRecord otherPipeline = new RunRecord("s3", "etl", 1, RunState.QUEUED, Map.of(), T0, "schedule", at(5),
                null, null, null, null, null);
        store.commit(List.of(new CreateRun(manual, List.of()), new CreateRun(otherPipeline, List.of())));
        assertThat(store.runIdsStartingWith("")).containsExactly("m1", "s1", "s3");
    }

    @Test
    void runStateChangesStampStartAndEnd() {
        store.commit(List.of(create(run("r1"), "a")));

        store.commit(List.of(runState("r1", RunState.QUEUED, RunState.RUNNING, at(1))));
        RunRecord running = store.run("r1").orElseThrow();
        assertThat(running.status()).isEqualTo(RunState.RUNNING);
        assertThat(running.startedAt()).isEqualTo(at(1));
        assertThat(running.endedAt()).isNull();

        store.commit(List.of(new SetRunState("r1", RunState.RUNNING, RunState.FAILED, at(2), "interrupted")));
        RunRecord failed = store.run("r1").orElseThrow();
        assertThat(failed.endedAt()).isEqualTo(at(2));
        assertThat(failed.reason()).isEqualTo("interrupted");

        store.commit(List.of(runState("r1", RunState.FAILED, RunState.RUNNING, at(3))));
        RunRecord retried = store.run("r1").orElseThrow();
        assertThat(retried.startedAt()).as("first start kept").isEqualTo(at(1));
        assertThat(retried.endedAt()).isNull();
        assertThat(retried.reason()).isNull();
    }

    @Test
    void recordsEveryStateChangeOfARunAndItsTasksInCommitOrder() {
        store.commit(List.of(create(run("r1"), "a", "b")));
        store.commit(List.of(runState("r1", RunState.QUEUED, RunState.RUNNING, at(1)),
                taskState("r1", "a", StepState.PENDING, StepState.QUEUED, at(1))));
        store.commit(List.of(new SetTaskState("r1", "a", StepState.QUEUED, StepState.RUNNING, null, at(2), 1, null,
                null, null, null)));
        store.commit(List.of(new SetTaskState("r1", "a", StepState.RUNNING, StepState.FAILED, "exit code 2", at(3),
                null, null, null, null, 2), new SetTaskState("r1", "b", StepState.PENDING, StepState.SKIPPED,
                "upstream failed", at(3), null, null, null, null, null),
                new SetRunState("r1", RunState.RUNNING, RunState.FAILED, at(3), "a failed")));

        List<RunEventRecord> events = store.events("r1", 0, 100);
        assertThat(events).extracting(e -> e.taskId() + " " + e.status() + " " + e.attempt() + " " + e.reason())
                .containsExactly("null QUEUED null null", "null RUNNING null null", "a QUEUED 0 null", "a RUNNING 1 null",
                        "a FAILED 1 exit code 2", "b SKIPPED 0 upstream failed", "null FAILED null a failed");
        assertThat(events.get(3).at()).isEqualTo(at(2));
        assertThat(events).extracting(RunEventRecord::id).isSorted().doesNotHaveDuplicates();

        long seen = events.get(2).id();
        assertThat(store.events("r1", seen, 2)).extracting(RunEventRecord::status).containsExactly("RUNNING", "FAILED");
        assertThat(store.events("other", 0, 10)).isEmpty();
    }

    @Test
    void aRolledBackBatchLeavesNoEvents() {
        store.commit(List.of(create(run("r1"), "a")));
        assertThatThrownBy(() -> store.commit(List.of(runState("r1", RunState.QUEUED, RunState.RUNNING, at(1)),
                taskState("r1", "a", StepState.RUNNING, StepState.SUCCEEDED, at(1)))))
                .isInstanceOf(ConflictException.class);
        assertThat(store.events("r1", 0, 10)).extracting(RunEventRecord::status).containsExactly("QUEUED");
    }

    @Test
    void aTurnThatEndsOneStepAndStartsTheNextKeepsEveryMoveAndItsEventInOrder() {
        store.commit(List.of(create(run("r1"), "a", "b")));
        store.commit(List.of(runState("r1", RunState.QUEUED, RunState.RUNNING, at(1)),
                taskState("r1", "a", StepState.PENDING, StepState.QUEUED, at(1)), start("r1", "a", 1, at(1)),
                new SetTaskState("r1", "a", StepState.QUEUED, StepState.RUNNING, null, at(1), 1, null, null, null, null)));
        // as a scheduler turn writes a chain step: the result, then the next step queued, started and dispatched
        store.commit(List.of(succeed("r1", "a", 1, at(2)),
                new SetTaskState("r1", "a", StepState.RUNNING, StepState.SUCCEEDED, null, at(2), null, null, null, null, 0),
                taskState("r1", "b", StepState.PENDING, StepState.QUEUED, at(2)), start("r1", "b", 1, at(2)),
                new SetTaskState("r1", "b", StepState.QUEUED, StepState.RUNNING, null, at(2), 1, null, null, null, null),
                new SetRunOwner("r1", "me", at(2))));

        assertThat(store.events("r1", 0, 100)).extracting(e -> e.taskId() + " " + e.status() + " " + e.attempt())
                .containsExactly("null QUEUED null", "null RUNNING null", "a QUEUED 0", "a RUNNING 1", "a SUCCEEDED 1",
                        "b QUEUED 0", "b RUNNING 1");
        TaskRecord a = store.tasks("r1").get(0);
        TaskRecord b = store.tasks("r1").get(1);
        assertThat(a.status()).isEqualTo(StepState.SUCCEEDED);
        assertThat(a.startedAt()).isEqualTo(at(1));
        assertThat(a.endedAt()).isEqualTo(at(2));
        assertThat(a.exitCode()).isZero();
        assertThat(b.status()).isEqualTo(StepState.RUNNING);
        assertThat(b.attempts()).isEqualTo(1);
        assertThat(b.startedAt()).isEqualTo(at(2));
        assertThat(b.endedAt()).isNull();
        assertThat(store.attempts("r1")).extracting(x -> x.taskId() + " " + x.status())
                .containsExactlyInAnyOrder("a SUCCEEDED", "b RUNNING");
    }

    @Test
    void aMoveThatDoesNotFollowTheOneBeforeItInTheSameBatchIsRefused() {
        store.commit(List.of(create(run("r1"), "a")));
        assertThatThrownBy(() -> store.commit(List.of(taskState("r1", "a", StepState.PENDING, StepState.QUEUED, at(1)),
                start("r1", "a", 1, at(1)), taskState("r1", "a", StepState.PENDING, StepState.RUNNING, at(1)))))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("task r1/a is QUEUED, expected PENDING");
        assertThat(store.tasks("r1").get(0).status()).isEqualTo(StepState.PENDING);
        assertThat(store.attempts("r1")).isEmpty();
        assertThat(store.events("r1", 0, 10)).extracting(RunEventRecord::status).containsExactly("QUEUED");
    }

    @Test
    void setsAndClearsTheOwnerOfARun() {
        store.commit(List.of(create(run("r1"))));

        store.commit(List.of(new SetRunOwner("r1", "cli:host:42:1", at(1))));
        assertThat(store.run("r1").orElseThrow().owner()).isEqualTo("cli:host:42:1");
        assertThat(store.run("r1").orElseThrow().heartbeatAt()).isEqualTo(at(1));

        store.commit(List.of(new SetRunOwner("r1", null, at(2))));
        assertThat(store.run("r1").orElseThrow().owner()).isNull();

        assertThatThrownBy(() -> store.commit(List.of(new SetRunOwner("nope", "x", at(3)))))
                .isInstanceOf(ConflictException.class)
                .hasMessage("run nope does not exist");
    }

    @Test
    void taskStateChangesStampTimesAndKeepFieldsLeftNull() {
        store.commit(List.of(create(run("r1"), "a")));

        store.commit(List.of(new SetTaskState("r1", "a", StepState.PENDING, StepState.QUEUED, "retry", at(1), 1, 1,
                false, at(9), 3)));
        store.commit(List.of(taskState("r1", "a", StepState.QUEUED, StepState.RUNNING, at(10))));
        TaskRecord running = store.tasks("r1").get(0);
        assertThat(running.startedAt()).isEqualTo(at(10));
        assertThat(running.attempts()).isEqualTo(1);
        assertThat(running.retriesUsed()).isEqualTo(1);
        assertThat(running.exitCode()).isEqualTo(3);
        assertThat(running.notBefore()).as("always written").isNull();
        assertThat(running.reason()).as("always written").isNull();

        store.commit(List.of(new SetTaskState("r1", "a", StepState.RUNNING, StepState.FAILED, "exit code 2",
                at(11), null, null, null, null, 2)));
        TaskRecord failed = store.tasks("r1").get(0);
        assertThat(failed.status()).isEqualTo(StepState.FAILED);
        assertThat(failed.endedAt()).isEqualTo(at(11));
        assertThat(failed.reason()).isEqualTo("exit code 2");
        assertThat(failed.exitCode()).isEqualTo(2);

        store.commit(List.of(taskState("r1", "a", StepState.FAILED, StepState.PENDING, at(12))));
        TaskRecord again = store.tasks("r1").get(0);
        assertThat(again.status()).isEqualTo(StepState.PENDING);
        assertThat(again.endedAt()).isNull();
        assertThat(again.attempts()).isEqualTo(1);
    }

    @Test
    void marksATaskCached() {
        store.commit(List.of(create(run("r1"), "a")));

        store.commit(List.of(new SetTaskState("r1", "a", StepState.PENDING, StepState.SUCCEEDED, "cached", at(1),
                1, null, true, null, null)));

        TaskRecord cached = store.tasks("r1").get(0);
        assertThat(cached.cached()).isTrue();
        assertThat(cached.endedAt()).isEqualTo(at(1));
    }

    @Test
    void aFailedCompareAndSetRollsBackTheWholeBatch() {
        store.commit(List.of(create(run("r1"), "a", "b"), start("r1", "a", 1, at(0))));
        RunRecord before = store.run("r1").orElseThrow();
        List<TaskRecord> tasksBefore = store.tasks("r1");

        assertThatThrownBy(() -> store.commit(List.of(
                        taskState("r1", "b", StepState.PENDING, StepState.QUEUED, at(1)),
                        new AppendLog("r1", "a", 1, "hello\n"),
                        create(run("r2"), "x"),
                        succeed("r1", "a", 1, at(2)),
                        runState("r1", RunState.RUNNING, RunState.SUCCEEDED, at(3)))))
                .isInstanceOf(ConflictException.class)
                .hasMessage("run r1 is QUEUED, expected RUNNING (to move to SUCCEEDED)");

        assertThat(store.run("r1")).contains(before);
        assertThat(store.tasks("r1")).isEqualTo(tasksBefore);
        assertThat(store.log("r1", "a", 1)).isEmpty();
        assertThat(store.run("r2")).isEmpty();
        assertThat(store.attempts("r1")).extracting(AttemptRecord::status).containsExactly("RUNNING");
    }

    @Test
    void aConflictNamesTheTaskAndWhatDiffered() {
        store.commit(List.of(create(run("r1"), "a")));

        assertThatThrownBy(() -> store.commit(List.of(
                        taskState("r1", "a", StepState.PENDING, StepState.QUEUED, at(1)),
                        taskState("r1", "a", StepState.PENDING, StepState.QUEUED, at(1)))))
                .isInstanceOf(ConflictException.class)
                .hasMessage("task r1/a is QUEUED, expected PENDING (to move to QUEUED)");
        assertThatThrownBy(() -> store.commit(List.of(
                        taskState("r1", "zz", StepState.PENDING, StepState.QUEUED, at(1)))))
                .isInstanceOf(ConflictException.class)
                .hasMessage("task r1/zz does not exist");
        assertThat(store.tasks("r1").get(0).status()).isEqualTo(StepState.PENDING);
    }

    // ---- attempts

    @Test
    void listsAttemptsByTaskThenNumber() {
        store.commit(List.of(create(run("r1"), "b", "a")));
        store.commit(List.of(start("r1", "a", 1, at(1)), start("r1", "b", 1, at(1))));
        store.commit(List.of(finish("r1", "a", 1, "FAILED", at(2), List.of(), Map.of(), List.of()),
                start("r1", "a", 2, at(3))));

        assertThat(store.attempts("r1"))
                .extracting(a -> a.taskId() + "#" + a.attempt() + " " + a.status())
                .containsExactly("b#1 RUNNING", "a#1 FAILED", "a#2 RUNNING");
        AttemptRecord failed = store.attempts("r1").get(1);
        assertThat(failed.endedAt()).isEqualTo(at(2));
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.reason()).isEqualTo("exit code 1");
        assertThat(failed.worker()).isEqualTo("local");
        assertThat(failed.startedAt()).isEqualTo(at(1));
        assertThat(failed.counted()).isTrue();
    }

    @Test
    void readsLogChunksAfterTheLastOneSeenAndOneAttempt() {
        store.commit(List.of(create(run("r1"), "a"), start("r1", "a", 1, at(1))));
        store.commit(List.of(new AppendLog("r1", "a", 1, "one\n")));
        store.commit(List.of(new AppendLog("r1", "a", 1, "two\nthree\n")));

        List<LogChunk> chunks = store.logChunks("r1", "a", 1, 0, 10);
        assertThat(chunks).extracting(LogChunk::text).containsExactly("one\n", "two\nthree\n");
        assertThat(store.logChunks("r1", "a", 1, chunks.get(0).id(), 10)).extracting(LogChunk::text)
                .containsExactly("two\nthree\n");
        assertThat(store.logChunks("r1", "a", 1, 0, 1)).hasSize(1);
        assertThat(store.attempt("r1", "a", 1)).get().extracting(AttemptRecord::status).isEqualTo("RUNNING");
        assertThat(store.attempt("r1", "a", 2)).isEmpty();
    }

    @Test
    void anAttemptsStartBecomesTheWorkersProcessStartWhenItEndsWithOne() {
        store.commit(List.of(create(run("r1"), "a", "b"), start("r1", "a", 1, at(1)), start("r1", "b", 1, at(1))));
        store.commit(List.of(new Change.FinishAttempt("r1", "a", 1, "SUCCEEDED", at(2), at(3), 0, null, null, false,
                List.of(), null, List.of()), succeed("r1", "b", 1, at(3))));

        assertThat(store.attempts("r1")).extracting(AttemptRecord::startedAt).containsExactly(at(2), at(1));
    }

    @Test
    void finishingAnAttemptTwiceIsRefused() {
        store.commit(List.of(create(run("r1"), "a"), start("r1", "a", 1, at(1))));
        store.commit(List.of(finish("r1", "a", 1, "SUCCEEDED", at(2), List.of(file("a", "m.json", "v1")),
                Map.of("auc", 0.8), List.of())));

        assertThatThrownBy(() -> store.commit(List.of(finish("r1", "a", 1, "FAILED", at(3),
                        List.of(file("a", "m.json", "v2")), Map.of("auc", 0.1), List.of()))))
                .isInstanceOf(ConflictException.class)
                .hasMessage("attempt r1/a#1 is SUCCEEDED, expected RUNNING (to move to FAILED)");

        assertThat(store.attempts("r1").get(0).status()).isEqualTo("SUCCEEDED");
        assertThat(store.outputs("r1").get("a")).containsExactly(file("a", "m.json", "v1"));
        assertThat(store.metrics("r1")).isEqualTo(Map.of("a", Map.of("auc", 0.8)));
    }

    @Test
    void finishingAnAttemptThatNeverStartedIsRefused() {
        store.commit(List.of(create(run("r1"), "a")));

        assertThatThrownBy(() -> store.commit(List.of(succeed("r1", "a", 1, at(2)))))
                .isInstanceOf(ConflictException.class)
                .hasMessage("attempt r1/a#1 does not exist");
    }

    @Test
    void startingAnAttemptTwiceIsAConflict() {
        store.commit(List.of(create(run("r1"), "a"), start("r1", "a", 1, at(1))));

        assertThatThrownBy(() -> store.commit(List.of(start("r1", "a", 1, at(2)))))
                .isInstanceOf(ConflictException.class)
                .hasMessage("attempt r1/a#1 already exists");
    }

    // ---- outputs, metrics, lineage, artifacts

    @Test
    void outputsAndMetricsComeFromTheAttemptThatSucceeded() {
        store.commit(List.of(create(run("r1"), "extract", "train"), start("r1", "extract", 1, at(1))));
        store.commit(List.of(finish("r1", "extract", 1, "FAILED", at(2), List.of(file("extract", "raw.csv", "bad")),
                Map.of("rows", 1.0), List.of()), start("r1", "extract", 2, at(3))));
        store.commit(List.of(finish("r1", "extract", 2, "SUCCEEDED", at(4),
                List.of(file("extract", "raw.csv", "good"), file("extract", "a/b.txt", "b")),
                Map.of("rows", 5000.0, "secs", 1.5), List.of())));

        assertThat(store.outputs("r1")).containsOnlyKeys("extract");
        assertThat(store.outputs("r1").get("extract"))
                .containsExactly(file("extract", "a/b.txt", "b"), file("extract", "raw.csv", "good"));
        assertThat(store.metrics("r1")).isEqualTo(Map.of("extract", Map.of("rows", 5000.0, "secs", 1.5)));
        assertThat(store.outputs("nope")).isEmpty();
        assertThat(store.metrics("nope")).isEmpty();
    }

    @Test
    void recordsTheInputsAnAttemptConsumed() {
        Artifact raw = file("extract", "raw.csv", "rows");
        store.commit(List.of(create(run("r1"), "extract", "train"), start("r1", "extract", 1, at(1))));
        store.commit(List.of(finish("r1", "extract", 1, "SUCCEEDED", at(2), List.of(raw), Map.of(), List.of()),
                start("r1", "train", 1, at(3))));

        Artifact lookup = file("extract", "lookup.csv", "lookup");
        store.commit(List.of(finish("r1", "train", 1, "SUCCEEDED", at(4), List.of(file("train", "model", "m")),
                Map.of(), List.of(raw, lookup))));

        assertThat(store.inputs("r1", "train", 1)).containsExactly(lookup, raw);
        assertThat(store.inputs("r1", "extract", 1)).isEmpty();
    }

    @Test
    void storesEachContentOnceNamingItsFirstProducer() throws SQLException {
        store.commit(List.of(create(run("r1"), "a", "b"), start("r1", "a", 1, at(1)), start("r1", "b", 1, at(1))));
        store.commit(List.of(
                finish("r1", "a", 1, "SUCCEEDED", at(2), List.of(file("a", "x", "same"), file("a", "y", "same")),
                        Map.of(), List.of()),
                finish("r1", "b", 1, "SUCCEEDED", at(2), List.of(file("b", "z", "same")), Map.of(), List.of())));
        store.commit(List.of(create(run("r2"), "a"), start("r2", "a", 1, at(5))));
        store.commit(List.of(finish("r2", "a", 1, "SUCCEEDED", at(6),
                List.of(file("a", "x", "same"), file("a", "w", "other")), Map.of(), List.of())));

        assertThat(queryStrings("SELECT sha256 || ' ' || run_id || '/' || task_id || '#' || attempt"
                + " FROM artifacts ORDER BY run_id, sha256"))
                .containsExactlyInAnyOrder(
                        JdbcStore.sha256("same") + " r1/a#1",
                        JdbcStore.sha256("other") + " r2/a#1");
        assertThat(store.outputs("r1").get("b")).containsExactly(file("b", "z", "same"));
        assertThat(store.outputs("r2").get("a")).hasSize(2);
    }

    // ---- logs

    @Test
    void appendsLogTextInOrder() {
        store.commit(List.of(create(run("r1"), "a", "b"), start("r1", "a", 1, at(1)), start("r1", "b", 1, at(1))));

        store.commit(List.of(new AppendLog("r1", "a", 1, "one\n"), new AppendLog("r1", "b", 1, "other\n"),
                new AppendLog("r1", "a", 1, "two\n")));
        store.commit(List.of(new AppendLog("r1", "a", 1, ""), new AppendLog("r1", "a", 1, "three\nfour\n")));

        assertThat(store.log("r1", "a", 1)).isEqualTo("one\ntwo\nthree\nfour\n");
        assertThat(store.log("r1", "b", 1)).isEqualTo("other\n");
        assertThat(store.log("r1", "a", 2)).isEmpty();
    }

    @Test
    void keepsLogsAfterTheAttemptFinished() {
        List<Change> batch = new ArrayList<>();
        batch.add(create(run("r1"), "a"));
        batch.add(start("r1", "a", 1, at(1)));
        for (int i = 0; i < 200; i++) {
            batch.add(new AppendLog("r1", "a", 1, "line " + i + "\n"));
        }
        batch.add(succeed("r1", "a", 1, at(2)));
        batch.add(new AppendLog("r1", "a", 1, "late\n"));
        store.commit(batch);

        assertThat(store.log("r1", "a", 1).lines()).hasSize(201).startsWith("line 0", "line 1").endsWith("late");
    }

    // ---- cache

    @Test
    void aCacheHitReturnsTheOutputsAndMetricsOfTheAttemptItNames() {
        store.commit(List.of(create(run("r1"), "train"), start("r1", "train", 1, at(1))));
        store.commit(List.of(
                finish("r1", "train", 1, "SUCCEEDED", at(2), List.of(file("train", "model.json", "m")),
                        Map.of("auc", 0.9), List.of()),
                new PutCache("key-1", "r1", "train", 1)));

        CacheHit hit = store.cacheHit("key-1").orElseThrow();

        assertThat(hit).isEqualTo(new CacheHit("r1", "train", 1, List.of(file("train", "model.json", "m")),
                Map.of("auc", 0.9)));
        assertThat(store.cacheHit("key-2")).isEmpty();
    }

    @Test
    void aCachedAttemptCountsAsTheTasksResult() {
        store.commit(List.of(create(run("r1"), "train"), start("r1", "train", 1, at(1))));
        store.commit(List.of(finish("r1", "train", 1, "SUCCEEDED", at(2), List.of(file("train", "model.json", "m")),
                Map.of("auc", 0.9), List.of()), new PutCache("key-1", "r1", "train", 1)));
        CacheHit hit = store.cacheHit("key-1").orElseThrow();

        store.commit(List.of(create(run("r2"), "train"),
                new Change.StartAttempt(new AttemptRecord("r2", "train", 1, "RUNNING", null, at(5), null, null,
                        null, null, true, false)),
                new Change.FinishAttempt("r2", "train", 1, "SUCCEEDED", null, at(5), null, "cached", null, false,
                        hit.outputs(), hit.metrics(), List.of()),
                new SetTaskState("r2", "train", StepState.PENDING, StepState.SUCCEEDED, "cached", at(5), 1, null,
                        true, null, null),
                new PutCache("key-1", "r2", "train", 1)));

        assertThat(store.outputs("r2").get("train")).isEqualTo(hit.outputs());
        assertThat(store.metrics("r2").get("train")).isEqualTo(hit.metrics());
        assertThat(store.attempts("r2").get(0).cached()).isTrue();
        assertThat(store.cacheHit("key-1").orElseThrow().runId()).as("the newest attempt serves").isEqualTo("r2");
    }

    // ---- listing runs

    @Test
    void listsRunsNewestFirstWithFiltersAndLimit() {
        store.commit(List.of(
                new CreateRun(run("r1", "churn", RunState.SUCCEEDED, at(1)), List.of()),
                new CreateRun(run("r2", "etl", RunState.FAILED, at(2)), List.of()),
                new CreateRun(run("r3", "churn", RunState.FAILED, at(3)), List.of()),
                new CreateRun(run("r4", "churn", RunState.RUNNING, at(4)), List.of())));

        assertThat(ids(store.runs(RunQuery.latest(10)))).containsExactly("r4", "r3", "r2", "r1");
        assertThat(ids(store.runs(RunQuery.latest(2)))).containsExactly("r4", "r3");
        assertThat(ids(store.runs(RunQuery.latest(0)))).as("no limit").hasSize(4);
        assertThat(ids(store.runs(new RunQuery("churn", null, null, 10)))).containsExactly("r4", "r3", "r1");
        assertThat(ids(store.runs(new RunQuery(null, RunState.FAILED, null, 10)))).containsExactly("r3", "r2");
        assertThat(ids(store.runs(new RunQuery("churn", RunState.FAILED, null, 10)))).containsExactly("r3");
        assertThat(ids(store.runs(new RunQuery(null, null, at(3), 10)))).containsExactly("r2", "r1");
        assertThat(ids(store.runs(new RunQuery("churn", null, at(4), 1)))).containsExactly("r3");
    }

    @Test
    void listsRunsInGivenStatesOldestFirst() {
        store.commit(List.of(
                new CreateRun(run("r1", "churn", RunState.RUNNING, at(3)), List.of()),
                new CreateRun(run("r2", "churn", RunState.QUEUED, at(1)), List.of()),
                new CreateRun(run("r3", "churn", RunState.SUCCEEDED, at(2)), List.of())));

        assertThat(ids(store.runsIn(RunState.QUEUED, RunState.RUNNING))).containsExactly("r2", "r1");
        assertThat(store.runsIn()).isEmpty();
        assertThat(store.runsIn(RunState.CANCELLED)).isEmpty();
    }

    @Test
    void findsRunIdsByLiteralPrefix() {
        store.commit(List.of(create(run("abc1")), create(run("abc2")), create(run("abd")), create(run("a_c")),
                create(run("a%c"))));

        assertThat(store.runIdsStartingWith("abc")).containsExactly("abc1", "abc2");
        assertThat(store.runIdsStartingWith("a_")).containsExactly("a_c");
        assertThat(store.runIdsStartingWith("a%")).containsExactly("a%c");
        assertThat(store.runIdsStartingWith("x")).isEmpty();
    }

    // ---- threads

    @Test
    void readsWhileAnotherThreadCommits() throws InterruptedException {
        AtomicBoolean done = new AtomicBoolean();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    for (RunRecord r : store.runs(RunQuery.latest(5))) {
                        assertThat(store.tasks(r.id())).hasSize(2);
                    }
                } catch (Throwable t) {
                    errors.add(t);
                    return;
                }
            }
        });
        reader.start();
        for (int i = 0; i < 50; i++) {
            String id = "r" + i;
            store.commit(List.of(create(run(id, "churn", RunState.QUEUED, at(i)), "a", "b"),
                    runState(id, RunState.QUEUED, RunState.RUNNING, at(i))));
        }
        done.set(true);
        reader.join();

        assertThat(errors).isEmpty();
        assertThat(store.runsIn(RunState.RUNNING)).hasSize(50);
    }

    @Test
    void ofTwoConcurrentCompareAndSetsOnlyOneWins() throws Exception {
        int tasks = 40;
        String[] ids = new String[tasks];
        for (int i = 0; i < tasks; i++) {
            ids[i] = "t" + i;
        }
        store.commit(List.of(create(run("r1"), ids)));
        for (String id : ids) {
            store.commit(List.of(taskState("r1", id, StepState.PENDING, StepState.QUEUED, at(1)),
                    start("r1", id, 1, at(1))));
        }
        CyclicBarrier together = new CyclicBarrier(2);
        AtomicInteger wins = new AtomicInteger();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Runnable contender = () -> {
            for (String id : ids) {
                try {
                    together.await(10, TimeUnit.SECONDS);
                    store.commit(List.of(taskState("r1", id, StepState.QUEUED, StepState.RUNNING, at(2)),
                            new AppendLog("r1", id, 1, Thread.currentThread().getName() + "\n")));
                    wins.incrementAndGet();
                } catch (ConflictException lost) {
                    // the other one got there first
                } catch (Throwable t) {
                    errors.add(t);
                }
            }
        };
        Thread a = new Thread(contender, "a");
        Thread b = new Thread(contender, "b");
        a.start();
        b.start();
        a.join();
        b.join();

        assertThat(errors).isEmpty();
        assertThat(wins.get()).isEqualTo(tasks);
        for (String id : ids) {
            assertThat(store.log("r1", id, 1).lines()).hasSize(1);
        }
    }

    // ---- model registry (V6)

    private static dev.sluice.engine.registry.NewVersion modelVersion(String model, String runId, String content, double auc) {
        dev.sluice.engine.registry.ModelContent c = dev.sluice.engine.registry.ModelContent.of("model.json",
                List.of(file("train", "model.json", content))).orElseThrow();
        return new dev.sluice.engine.registry.NewVersion(model, c, runId, "register", 1, "training", 3,
                Map.of("seed", 7L), Map.of(), Map.of("auc", auc), Map.of("pipeline_version", 3), null, Map.of());
    }

    @Test
    void registersVersionsWithIncreasingNumbersAndTheirFiles() {
        var registry = store.registry();
        var v1 = registry.register(modelVersion("heart-disease", "r1", "{\"w\":1}", 0.9));
        var v2 = registry.register(modelVersion("heart-disease", "r2", "{\"w\":1}", 0.9));

        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.sha256()).as("same content, new version, same artifact").isEqualTo(v1.sha256());
        var read = registry.version("heart-disease", 2).orElseThrow();
        assertThat(read.files()).extracting(dev.sluice.engine.registry.ModelFile::path).containsExactly("model.json");
        assertThat(read.metrics()).containsEntry("auc", 0.9);
        assertThat(read.params()).containsEntry("seed", 7L);
        assertThat(read.code()).containsEntry("pipeline_version", 3L);
        assertThat(registry.models()).singleElement().satisfies(m -> assertThat(m.latestVersion()).isEqualTo(2));
        assertThat(registry.versions("heart-disease", 10)).extracting(dev.sluice.engine.registry.ModelVersion::version)
                .containsExactly(2, 1);
        assertThat(registry.holding(v1.sha256())).hasSize(2);
    }

    @Test
    void registeringAgainFromTheSameTaskOfARunGivesTheSameVersion() {
        var registry = store.registry();
        var first = registry.register(modelVersion("m", "r1", "a", 0.5));
        var again = registry.register(modelVersion("m", "r1", "a", 0.5));

        assertThat(again.version()).isEqualTo(first.version());
        assertThat(registry.versions("m", 10)).hasSize(1);
    }

    @Test
    void movesAnAliasByCompareAndSetAndKeepsEveryMoveWithItsNote() {
        var registry = store.registry();
        registry.register(modelVersion("m", "r1", "a", 0.5));
        registry.register(modelVersion("m", "r2", "b", 0.6));

        var set = registry.moveAlias("m", "champion", 1, dev.sluice.engine.registry.Expected.absent(),
                dev.sluice.engine.registry.Actor.run("r1", "register"), "first");
        var moved = registry.moveAlias("m", "champion", 2, dev.sluice.engine.registry.Expected.at(1),
                dev.sluice.engine.registry.Actor.api(), "better");
        assertThatThrownBy(() -> registry.moveAlias("m", "champion", 1, dev.sluice.engine.registry.Expected.at(1),
                dev.sluice.engine.registry.Actor.cli(), "stale"))
                .isInstanceOfSatisfying(dev.sluice.engine.registry.AliasConflict.class, e -> {
                    assertThat(e.currentVersion()).isEqualTo(2);
                    assertThat(e.getMessage()).isEqualTo("champion is at version 2, not 1");
                });

        assertThat(set.previousVersion()).isNull();
        assertThat(moved.previousVersion()).isEqualTo(1);
        assertThat(registry.aliases("m")).containsExactly(Map.entry("champion", 2));
        assertThat(registry.resolve(dev.sluice.engine.registry.ModelRef.parse("m@champion")).orElseThrow().version()).isEqualTo(2);
        var history = registry.history("m", 10);
        assertThat(history).extracting(dev.sluice.engine.registry.AliasMove::note).containsExactly("better", "first");
        assertThat(history.get(1).by().runId()).isEqualTo("r1");
        assertThat(history.get(0).fromVersion()).isEqualTo(1);
        assertThat(registry.movesAfter(history.get(1).id(), 10)).hasSize(1);

        registry.moveAlias("m", "champion", null, dev.sluice.engine.registry.Expected.at(2),
                dev.sluice.engine.registry.Actor.cli(), "retired");
        assertThat(registry.aliases("m")).isEmpty();
        assertThat(registry.history("m", 1).get(0).toVersion()).isNull();
    }

    @Test
    void ofTwoConcurrentPromotionsExpectingTheSameVersionOneWinsAndTheOtherIsToldWhereTheAliasIs() throws Exception {
        var registry = store.registry();
        for (int i = 1; i <= 3; i++) registry.register(modelVersion("m", "r" + i, "c" + i, 0.5));
        registry.moveAlias("m", "champion", 1, dev.sluice.engine.registry.Expected.any(),
                dev.sluice.engine.registry.Actor.cli(), null);
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<Object> results = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int target : new int[] {2, 3}) {
            Thread t = new Thread(() -> {
                try {
                    barrier.await(10, TimeUnit.SECONDS);
                    results.add(registry.moveAlias("m", "champion", target, dev.sluice.engine.registry.Expected.at(1),
                            dev.sluice.engine.registry.Actor.api(), "to " + target));
                } catch (dev.sluice.engine.registry.AliasConflict e) {
                    results.add(e);
                } catch (Exception e) {
                    results.add(e.toString());
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();

        assertThat(results).hasSize(2);
        assertThat(results).filteredOn(r -> r instanceof dev.sluice.engine.registry.MoveResult).hasSize(1);
        int winner = results.stream().filter(r -> r instanceof dev.sluice.engine.registry.MoveResult)
                .map(r -> ((dev.sluice.engine.registry.MoveResult) r).version()).findFirst().orElseThrow();
        assertThat(results).filteredOn(r -> r instanceof dev.sluice.engine.registry.AliasConflict)
                .singleElement().satisfies(r -> assertThat(((dev.sluice.engine.registry.AliasConflict) r).currentVersion())
                        .isEqualTo(winner));
        assertThat(registry.history("m", 10)).hasSize(2);
    }

    @Test
    void refusesAliasMovesToUnknownVersionsAndBadNames() {
        var registry = store.registry();
        registry.register(modelVersion("m", "r1", "a", 0.5));

        assertThatThrownBy(() -> registry.moveAlias("m", "champion", 9, dev.sluice.engine.registry.Expected.any(),
                dev.sluice.engine.registry.Actor.api(), null)).hasMessage("model m has no version 9");
        assertThatThrownBy(() -> registry.moveAlias("nope", "champion", 1, dev.sluice.engine.registry.Expected.any(),
                dev.sluice.engine.registry.Actor.api(), null)).hasMessage("no model nope");
        assertThatThrownBy(() -> registry.moveAlias("m", "../x", 1, dev.sluice.engine.registry.Expected.any(),
                dev.sluice.engine.registry.Actor.api(), null)).hasMessageStartingWith("bad alias '../x'");
        assertThat(registry.history("m", 10)).isEmpty();
    }

    @Test
    void aFencedStoreWithoutTheLeaseRegistersNothingFromARunButTakesAPersonsMove() {
        store.registry().register(modelVersion("m", null, "a", 0.5));
        var fenced = store.withFence(java.util.Optional::empty).registry();

        assertThatThrownBy(() -> fenced.register(modelVersion("m", "r1", "b", 0.6))).isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> fenced.moveAlias("m", "champion", 1, dev.sluice.engine.registry.Expected.any(),
                dev.sluice.engine.registry.Actor.run("r1", "register"), null)).isInstanceOf(FencedException.class);
        fenced.moveAlias("m", "champion", 1, dev.sluice.engine.registry.Expected.any(), dev.sluice.engine.registry.Actor.api(), "by hand");

        assertThat(store.registry().versions("m", 10)).hasSize(1);
        assertThat(store.registry().aliases("m")).containsEntry("champion", 1);
    }

    @Test
    void keepsARunsProvenance() {
        store.commit(List.of(create(run("r1"), "train", "score"), new Change.SetRunProvenance(new RunProvenance("r1", null,
                Map.of("pipeline_version", 1, "git", Map.of("commit", "abc", "dirty", false)),
                List.of(new dev.sluice.engine.registry.PinnedModel("score", "clf", "m@champion", "m", 2, "sha"),
                        new dev.sluice.engine.registry.PinnedModel("score", "old", "m@gone", "m", null, null))))));
        store.commit(List.of(create(run("r2"), "train"), new Change.SetRunProvenance(new RunProvenance("r2", "r1", Map.of(), List.of()))));

        RunProvenance p = store.provenance("r1").orElseThrow();
        assertThat(p.rerunOf()).isNull();
        assertThat(p.code()).containsEntry("git", Map.of("commit", "abc", "dirty", false));
        assertThat(p.models()).extracting(dev.sluice.engine.registry.PinnedModel::key).containsExactly("clf", "old");
        assertThat(p.models().get(1).resolved()).isFalse();
        assertThat(store.provenance("r2").orElseThrow().rerunOf()).isEqualTo("r1");
        assertThat(store.provenance("nope")).isEmpty();
    }

    // ---- helpers

    private static List<String> ids(List<RunRecord> runs) {
        return runs.stream().map(RunRecord::id).toList();
    }

    private List<String> queryStrings(String sql) throws SQLException {
        try (Connection c = rawConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> result = new ArrayList<>();
            while (rs.next()) {
                result.add(rs.getString(1));
            }
            return result;
        }
    }
}
