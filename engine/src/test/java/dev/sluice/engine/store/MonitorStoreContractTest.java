package dev.sluice.engine.store;

import static dev.sluice.engine.store.StoreFixtures.T0;
import static dev.sluice.engine.store.StoreFixtures.at;
import static dev.sluice.engine.store.StoreFixtures.create;
import static dev.sluice.engine.store.StoreFixtures.run;
import static dev.sluice.engine.store.StoreFixtures.runState;
import static dev.sluice.engine.store.StoreFixtures.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.engine.run.RunState;
import dev.sluice.worker.protocol.MetricPoint;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the monitoring side of every {@link Store} must do (series, run ends, triggers, alerts); H2 and PostgreSQL. */
abstract class MonitorStoreContractTest {

    protected Store store;

    protected abstract Store openStore();

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

    private void endedRun(String id, String pipeline, RunState end) {
        store.commit(List.of(create(run(id, pipeline, RunState.QUEUED, T0), "a"),
                runState(id, RunState.QUEUED, RunState.RUNNING, at(1)), runState(id, RunState.RUNNING, end, at(2))));
    }

    @Test
    void keepsEverySeriesValueInOrderAndTheLastValueAsTheMetric() {
        store.commit(List.of(create(run("r1"), "train"), start("r1", "train", 1, at(1))));
        List<MetricPoint> series = List.of(new MetricPoint("loss", 0, 0.9, at(2)), new MetricPoint("loss", 5, 0.4, at(3)),
                new MetricPoint("<script>alert(1)</script>", 0, 1.0, at(3)));
        store.commit(List.of(new Change.FinishAttempt("r1", "train", 1, "SUCCEEDED", null, at(4), 0, null, null, true,
                List.of(), Map.of("loss", 0.4, "<script>alert(1)</script>", 1.0), List.of(), series)));

        MetricSeries read = store.series("r1", "train", 1);

        assertThat(read.series().keySet()).containsExactly("loss", "<script>alert(1)</script>");
        assertThat(read.series().get("loss")).extracting(MetricSeries.Point::step, MetricSeries.Point::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 0.9), org.assertj.core.groups.Tuple.tuple(5L, 0.4));
        assertThat(read.series().get("loss").get(1).at()).isEqualTo(at(3));
        assertThat(store.metrics("r1").get("train")).containsEntry("loss", 0.4);
    }

    @Test
    void aMetricWithoutSeriesIsASeriesOfOne() {
        store.commit(List.of(create(run("r1"), "train"), start("r1", "train", 1, at(1)),
                StoreFixtures.finish("r1", "train", 1, "SUCCEEDED", at(2), List.of(), Map.of("auc", 0.9), List.of())));

        assertThat(store.series("r1", "train", 1).series().get("auc")).singleElement()
                .satisfies(p -> assertThat(p.value()).isEqualTo(0.9));
    }

    @Test
    void aRunsEndIsPendingUntilHandledOnce() {
        endedRun("r1", "train", RunState.SUCCEEDED);
        store.commit(List.of(create(run("r2", "train", RunState.QUEUED, T0), "a")));

        List<MonitorStore.RunEnd> pending = store.monitor().pendingEnds(10);
        assertThat(pending).singleElement().satisfies(e -> {
            assertThat(e.run().id()).isEqualTo("r1");
            assertThat(e.endEvent()).isPositive();
        });

        store.commit(List.of(new Change.EndHandled("r1"), new Change.NoteRun("r1", at(3), RunState.SUCCEEDED, "alert 0: no metric")));
        assertThat(store.monitor().pendingEnds(10)).isEmpty();
        assertThatThrownBy(() -> store.commit(List.of(new Change.EndHandled("r1")))).isInstanceOf(ConflictException.class);
        assertThat(store.events("r1", 0, 100)).last().satisfies(e -> assertThat(e.reason()).isEqualTo("alert 0: no metric"));
    }

    @Test
    void anEventStartsOneRunOfAPipelineEver() {
        RunRecord first = run("t1", "scoring", RunState.QUEUED, T0)
                .withTrigger(Map.of("type", "pipeline", "pipeline", "train", "run_id", "r1"), "pipeline:r1:7");
        store.commit(List.of(create(first, "a")));

        RunRecord again = run("t2", "scoring", RunState.QUEUED, T0).withTrigger(Map.of("type", "pipeline"), "pipeline:r1:7");
        assertThatThrownBy(() -> store.commit(List.of(create(again, "a")))).isInstanceOf(ConflictException.class);
        RunRecord other = run("t3", "other", RunState.QUEUED, T0).withTrigger(Map.of("type", "pipeline"), "pipeline:r1:7");
        store.commit(List.of(create(other, "a")));

        RunRecord read = store.run("t1").orElseThrow();
        assertThat(read.triggerJson()).containsEntry("type", "pipeline").containsEntry("run_id", "r1");
        assertThat(read.triggerKey()).isEqualTo("pipeline:r1:7");
        assertThat(store.monitor().runByTriggerKey("scoring", "pipeline:r1:7")).map(RunRecord::id).contains("t1");
        assertThat(store.run("t2")).isEmpty();
    }

    @Test
    void aCursorMovesByCompareAndSet() {
        assertThat(store.monitor().cursor("model")).isEmpty();
        store.commit(List.of(new Change.MoveCursor("model", null, 3)));
        assertThatThrownBy(() -> store.commit(List.of(new Change.MoveCursor("model", null, 4)))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> store.commit(List.of(new Change.MoveCursor("model", 2L, 4)))).isInstanceOf(ConflictException.class);
        store.commit(List.of(new Change.MoveCursor("model", 3L, 5)));
        assertThat(store.monitor().cursor("model").getAsLong()).isEqualTo(5);
        assertThat(store.monitor().aliasMoves(0, 10)).isEmpty(); // no alias moved yet
    }

    @Test
    void storesAlertsVerbatimAndTheirDeliveriesAsAnOutbox() {
        assertThat(store.monitor().nextDue()).isEmpty();
        endedRun("r1", "monitoring", RunState.SUCCEEDED);
        long end = store.monitor().pendingEnds(1).get(0).endEvent();
        String hostile = "<img src=x onerror=alert(1)> drift ${{ 1 }} \"quoted\"";
        AlertRecord alert = new AlertRecord("a1", "monitoring", "r1", end, 0, "critical", hostile, at(3), null, null, null);
        store.commit(List.of(new Change.FireAlert(alert, List.of("oncall", "gone")), new Change.EndHandled("r1")));
        assertThatThrownBy(() -> store.commit(List.of(new Change.FireAlert(
                new AlertRecord("a2", "monitoring", "r1", end, 0, "critical", "again", at(3), null, null, null), List.of()))))
                .isInstanceOf(ConflictException.class);

        MonitorStore m = store.monitor();
        assertThat(m.nextDue()).contains(at(3));
        assertThat(m.alerts(new MonitorStore.AlertQuery("monitoring", "critical", at(0), 10))).singleElement().satisfies(a -> {
            assertThat(a.message()).isEqualTo(hostile);
            assertThat(a.deliveries()).extracting(AlertRecord.Delivery::channel, AlertRecord.Delivery::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("gone", "pending"),
                            org.assertj.core.groups.Tuple.tuple("oncall", "pending"));
        });
        assertThat(m.alerts(new MonitorStore.AlertQuery(null, "info", null, 10))).isEmpty();
        assertThat(m.alerts(new MonitorStore.AlertQuery(null, null, at(4), 10))).isEmpty();

        List<MonitorStore.Due> due = m.claimDue(at(3), at(40), 10);
        assertThat(due).extracting(MonitorStore.Due::channel).containsExactlyInAnyOrder("oncall", "gone");
        assertThat(m.claimDue(at(4), at(40), 10)).as("claimed: not taken twice").isEmpty();
        m.recordTry("a1", "oncall", "pending", 1, "HTTP 500", at(8), null);
        m.disableChannel("gone", "HTTP 410", at(5));
        assertThat(m.claimDue(at(7), at(40), 10)).isEmpty();
        assertThat(m.nextDue()).contains(at(8));
        assertThat(m.claimDue(at(8), at(40), 10)).singleElement().satisfies(d -> {
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.alert().message()).isEqualTo(hostile);
        });
        m.recordTry("a1", "oncall", "delivered", 2, null, null, at(9));
        assertThat(m.alertsOfRun("r1")).singleElement().satisfies(a -> assertThat(a.deliveries())
                .extracting(AlertRecord.Delivery::state).containsExactly("disabled", "delivered"));
        assertThat(m.disabledChannels()).containsExactly("gone");
        m.enableChannel("gone", at(10));
        assertThat(m.disabledChannels()).isEmpty();
        assertThat(m.claimDue(at(10), at(40), 10)).extracting(MonitorStore.Due::channel).containsExactly("gone");
    }

    @Test
    void readsExperimentMetricsAndHistoryOfSuccessfulAttempts() {
        for (int i = 1; i <= 3; i++) {
            String id = "r" + i;
            store.commit(List.of(create(run(id, "train", RunState.QUEUED, at(i)), "evaluate"), start(id, "evaluate", 1, at(i)),
                    StoreFixtures.finish(id, "evaluate", 1, "SUCCEEDED", at(10 + i), List.of(), Map.of("auc", 0.8 + i / 100.0, "n", 1.0), List.of()),
                    new Change.SetTaskState(id, "evaluate", dev.sluice.engine.run.StepState.PENDING,
                            dev.sluice.engine.run.StepState.SUCCEEDED, null, at(10 + i), 1, null, null, null, null)));
        }
        MonitorStore.ExperimentData data = store.monitor().experiments("train", Set.of("auc"));
        assertThat(data.runs()).extracting(MonitorStore.RunRow::id).containsExactly("r3", "r2", "r1");
        assertThat(data.metrics()).hasSize(3).allSatisfy(r -> assertThat(r.name()).isEqualTo("auc"));
        assertThat(store.monitor().history("train", "evaluate", "auc", at(12), 10))
                .extracting(MonitorStore.HistoryPoint::runId).containsExactly("r2", "r3");
    }
}
