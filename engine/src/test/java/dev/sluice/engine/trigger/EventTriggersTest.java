package dev.sluice.engine.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.expr.Expressions;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.scheduler.NewRun;
import dev.sluice.engine.store.AlertRecord;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.MonitorStore;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs started by events, exactly once, across a restart between the event and the run; alerts at a run's end. */
class EventTriggersTest {

    @TempDir
    Path dir;
    Store store;
    final List<RunRecord> started = new ArrayList<>();
    final List<AlertRecord> fired = new ArrayList<>();

    @BeforeEach
    void open() {
        store = openStore();
    }

    /** The store under test: embedded H2 here, PostgreSQL in {@link PostgresEventTriggersTest}. */
    protected Store openStore() {
        return Stores.open(null, dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private EventTriggers service() {
        return new EventTriggers(store, (plan, run, tasks) -> started.add(run), dir, Clock.systemUTC(), "test",
                new Expressions(), fired::add);
    }

    private PipelineVersion save(String yaml) {
        String name = yaml.lines().findFirst().orElseThrow().replace("name:", "").strip();
        return store.savePipeline(name, yaml);
    }

    /** A run of the pipeline that ends with {@code status}, its one step writing {@code metrics}. */
    private String endRun(PipelineVersion v, RunState status, Map<String, Double> metrics) {
        var plan = Planner.plan(PipelineLoader.parse(v.name() + ".yaml", v.text(), dir).pipeline());
        Instant now = Instant.now();
        Change.CreateRun create = NewRun.create(NewRun.newId(now), v, plan, Map.of(), "manual", now, now, null);
        String id = create.run().id();
        String task = create.tasks().get(0).taskId();
        StepState end = status == RunState.SUCCEEDED ? StepState.SUCCEEDED : StepState.FAILED;
        store.commit(List.of(create,
                new Change.StartAttempt(new dev.sluice.engine.store.AttemptRecord(id, task, 1, "RUNNING", "w", now, null, null, null, null, false, true)),
                new Change.FinishAttempt(id, task, 1, end.name(), null, now, 0, null, null, true, List.of(), metrics, List.of()),
                new Change.SetTaskState(id, task, StepState.PENDING, end, null, now, 1, null, null, null, null),
                new Change.SetRunState(id, RunState.QUEUED, RunState.RUNNING, now, null),
                new Change.SetRunState(id, RunState.RUNNING, status, now, null)));
        return id;
    }

    @Test
    void aPipelineTriggerFiresOncePerEndEvenWhenTheServerStopsBetweenTheEndAndTheRun() {
        PipelineVersion training = save("name: training\nsteps:\n  - id: fit\n    run: echo fit\n");
        save("name: scoring\ntriggers:\n  - pipeline: training\nsteps:\n  - id: score\n    run: echo score\n");
        save("name: on-failure\ntriggers:\n  - pipeline: training\n    status: [FAILED]\nsteps:\n  - id: page\n    run: echo x\n");

        String ok = endRun(training, RunState.SUCCEEDED, Map.of());
        // the server was "killed" here: nothing handled the end yet; a new service after the restart does
        List<RunRecord> first = service().poll();
        List<RunRecord> again = service().poll();

        assertThat(first).singleElement().satisfies(r -> {
            assertThat(r.pipeline()).isEqualTo("scoring");
            assertThat(r.triggerJson()).containsEntry("type", "pipeline").containsEntry("run_id", ok).containsEntry("status", "SUCCEEDED");
        });
        assertThat(again).isEmpty();
        assertThat(store.runs(new dev.sluice.engine.store.RunQuery("scoring", null, null, 10))).hasSize(1);
        assertThat(store.run(first.get(0).id()).orElseThrow().triggerJson()).containsEntry("type", "pipeline");

        endRun(training, RunState.FAILED, Map.of());
        assertThat(service().poll()).extracting(RunRecord::pipeline).containsExactly("on-failure");
    }

    @Test
    void aCycleSavedApartIsCutAtRunTimeWithAnEvent() {
        PipelineVersion a = save("name: a\ntriggers:\n  - pipeline: b\nsteps:\n  - id: s\n    run: echo a\n");
        PipelineVersion b = save("name: b\ntriggers:\n  - pipeline: a\nsteps:\n  - id: s\n    run: echo b\n");

        endRun(a, RunState.SUCCEEDED, Map.of());
        RunRecord bRun = service().poll().get(0);
        assertThat(bRun.pipeline()).isEqualTo("b");
        // b's run ends: triggering a again would close the cycle a -> b -> a
        Instant now = Instant.now();
        store.commit(List.of(new Change.SetRunState(bRun.id(), RunState.QUEUED, RunState.RUNNING, now, null),
                new Change.SetRunState(bRun.id(), RunState.RUNNING, RunState.SUCCEEDED, now, null)));
        assertThat(service().poll()).isEmpty();
        assertThat(store.events(bRun.id(), 0, 100)).anySatisfy(e -> assertThat(e.reason()).isEqualTo("trigger cycle cut: a -> b -> a"));
    }

    @Test
    void alertsFireOnceAtTheEndAndAMissingMetricIsFalseWithAReason() {
        PipelineVersion mon = save("""
                name: monitoring
                alerts:
                  - when: ${{ steps.drift.metrics.psi_max > 0.2 }}
                    severity: critical
                    message: "drift: PSI ${{ steps.drift.metrics.psi_max }} <script>x</script>"
                    notify: [oncall]
                    trigger: training
                  - when: ${{ steps.drift.metrics.nope > 1.0 }}
                  - when: failed
                steps:
                  - id: drift
                    run: echo drift
                """);
        save("name: training\nsteps:\n  - id: fit\n    run: echo fit\n");

        String calm = endRun(mon, RunState.SUCCEEDED, Map.of("psi_max", 0.05));
        assertThat(service().poll()).isEmpty();
        assertThat(fired).isEmpty();
        assertThat(store.events(calm, 0, 100)).anySatisfy(e -> assertThat(e.reason()).startsWith("alert 1 (").contains("is false"));

        String drifted = endRun(mon, RunState.SUCCEEDED, Map.of("psi_max", 1.25));
        List<RunRecord> runs = service().poll();
        assertThat(service().poll()).isEmpty();

        assertThat(fired).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo("critical");
            assertThat(a.message()).isEqualTo("drift: PSI 1.25 <script>x</script>");
            assertThat(a.runId()).isEqualTo(drifted);
        });
        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.pipeline()).isEqualTo("training");
            assertThat(r.triggerJson()).containsEntry("type", "alert").containsEntry("alert_id", fired.get(0).id());
        });
        MonitorStore m = store.monitor();
        assertThat(m.alertsOfRun(drifted)).singleElement().satisfies(a -> {
            assertThat(a.triggeredRunId()).isEqualTo(runs.get(0).id());
            assertThat(a.deliveries()).extracting(AlertRecord.Delivery::channel).containsExactly("oncall");
        });
    }

    private static dev.sluice.engine.registry.NewVersion modelVersion(String content) {
        var c = dev.sluice.engine.registry.ModelContent.of("model.json", List.of(new dev.sluice.worker.protocol.Artifact("train",
                "model.json", "ab".repeat(32).substring(0, 62) + String.format("%02d", content.length()), content.length()))).orElseThrow();
        return new dev.sluice.engine.registry.NewVersion("heart-disease", c, "run-" + content, "register", 1, "training", 1,
                Map.of(), Map.of(), Map.of("auc", 0.9), Map.of(), null, Map.of());
    }

    @Test
    void aModelTriggerFiresOncePerAliasMoveReadFromTheRegistryAcrossARestart() {
        save("name: scoring\ntriggers:\n  - model: heart-disease@champion\nsteps:\n  - id: score\n    run: echo score\n");
        var registry = store.registry();
        registry.register(modelVersion("a"));
        registry.register(modelVersion("bb"));
        var by = dev.sluice.engine.registry.Actor.cli();
        registry.moveAlias("heart-disease", "champion", 1, dev.sluice.engine.registry.Expected.absent(), by, "first");
        assertThat(service().poll()).as("moves before the first look do not fire").isEmpty();

        registry.moveAlias("heart-disease", "champion", 2, dev.sluice.engine.registry.Expected.at(1), by, "promote");
        registry.moveAlias("heart-disease", "candidate", 1, dev.sluice.engine.registry.Expected.absent(), by, "other alias");
        // the server restarts between the move and the run: a new service finds the move behind its cursor
        List<RunRecord> runs = service().poll();
        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.pipeline()).isEqualTo("scoring");
            assertThat(r.triggerJson()).containsEntry("type", "model").containsEntry("model", "heart-disease")
                    .containsEntry("alias", "champion").containsEntry("version", 2).containsEntry("from_version", 1);
        });
        assertThat(service().poll()).isEmpty();

        registry.moveAlias("heart-disease", "champion", null, dev.sluice.engine.registry.Expected.at(2), by, "deleted");
        assertThat(service().poll()).as("a deleted alias starts nothing").isEmpty();
        assertThat(store.runs(new dev.sluice.engine.store.RunQuery("scoring", null, null, 10))).hasSize(1);
    }
}
