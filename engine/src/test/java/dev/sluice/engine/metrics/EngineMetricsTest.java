package dev.sluice.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.TaskRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the metrics make of the scheduler's state changes, on a clock the test moves. */
class EngineMetricsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T20:00:00Z");

    private final TestClock clock = new TestClock();
    private final EngineMetrics metrics = new EngineMetrics(clock);
    private final RunRecord running = run(RunState.RUNNING);

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void countsFiredAlertsByPipelineAndSeverity() {
        metrics.alertFired("monitoring", "critical");
        metrics.alertFired("monitoring", "critical");
        metrics.alertFired("monitoring", "warning");

        String text = metrics.scrape();
        assertThat(value(text, "sluice_alerts_fired_total{pipeline=\"monitoring\",severity=\"critical\"}")).isEqualTo(2.0);
        assertThat(value(text, "sluice_alerts_fired_total{pipeline=\"monitoring\",severity=\"warning\"}")).isEqualTo(1.0);
    }

    @Test
    void countsRunsStartedAndFinishedByPipelineAndStatus() {
        metrics.runChanged(running);
        metrics.runChanged(run(RunState.SUCCEEDED));
        metrics.runChanged(run(RunState.RUNNING));
        metrics.runChanged(run(RunState.FAILED));

        String text = metrics.scrape();
        assertThat(value(text, "sluice_runs_started_total{pipeline=\"p\"}")).isEqualTo(2.0);
        assertThat(value(text, "sluice_runs_finished_total{pipeline=\"p\",status=\"SUCCEEDED\"}")).isEqualTo(1.0);
        assertThat(value(text, "sluice_runs_finished_total{pipeline=\"p\",status=\"FAILED\"}")).isEqualTo(1.0);
    }

    @Test
    void timesAnAttemptFromStartToEndAndTheLagFromReadyToStart() {
        metrics.taskChanged(running, task(StepState.QUEUED, null, null, null));
        assertThat(value(metrics.scrape(), "sluice_steps_queued")).isEqualTo(1.0);

        clock.advance(Duration.ofMillis(30));
        metrics.taskChanged(running, task(StepState.RUNNING, null, clock.instant(), null));
        String text = metrics.scrape();
        assertThat(value(text, "sluice_steps_queued")).isZero();
        assertThat(value(text, "sluice_steps_running")).isEqualTo(1.0);
        assertThat(value(text, "sluice_scheduler_lag_seconds_count")).isEqualTo(1.0);
        assertThat(value(text, "sluice_scheduler_lag_seconds_sum")).isEqualTo(0.03);

        Instant started = clock.instant();
        clock.advance(Duration.ofSeconds(2));
        metrics.taskChanged(running, task(StepState.SUCCEEDED, null, started, clock.instant()));
        text = metrics.scrape();
        assertThat(value(text, "sluice_steps_running")).isZero();
        assertThat(value(text, "sluice_step_duration_seconds_count{pipeline=\"p\",status=\"SUCCEEDED\"}")).isEqualTo(1.0);
        assertThat(value(text, "sluice_step_duration_seconds_sum{pipeline=\"p\",status=\"SUCCEEDED\"}")).isEqualTo(2.0);
    }

    @Test
    void countsAnAttemptThatIsRetriedAsFailedAndItsRetryDelayAsNoLag() {
        metrics.taskChanged(running, task(StepState.QUEUED, null, null, null));
        metrics.taskChanged(running, task(StepState.RUNNING, null, clock.instant(), null));
        clock.advance(Duration.ofSeconds(1));
        Instant retryAt = clock.instant().plusSeconds(10);
        metrics.taskChanged(running, task(StepState.QUEUED, retryAt, T0, null));
        clock.advance(Duration.ofSeconds(10).plusMillis(5));
        metrics.taskChanged(running, task(StepState.RUNNING, null, clock.instant(), null));

        String text = metrics.scrape();
        assertThat(value(text, "sluice_step_duration_seconds_count{pipeline=\"p\",status=\"FAILED\"}")).isEqualTo(1.0);
        assertThat(value(text, "sluice_scheduler_lag_seconds_count")).isEqualTo(2.0);
        assertThat(value(text, "sluice_scheduler_lag_seconds_sum")).isEqualTo(0.005);
    }

    @Test
    void forgetsTheQueuedStepsOfARunThatEnded() {
        metrics.taskChanged(running, task(StepState.QUEUED, null, null, null));
        metrics.runChanged(run(RunState.CANCELLED));

        assertThat(value(metrics.scrape(), "sluice_steps_queued")).isZero();
    }

    @Test
    void showsTheJvm() {
        assertThat(metrics.scrape()).contains("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
                "process_uptime_seconds", "process_cpu_usage");
    }

    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) return Double.parseDouble(line.substring(series.length() + 1).split(" ")[0]);
        }
        throw new AssertionError("no " + series + " in\n" + scrape);
    }

    private RunRecord run(RunState status) {
        return new RunRecord("r1", "p", 1, status, Map.of(), T0, "manual", T0, T0, status.terminal() ? clock.instant() : null,
                "test", T0, null);
    }

    private static TaskRecord task(StepState status, Instant notBefore, Instant startedAt, Instant endedAt) {
        return new TaskRecord("r1", "a", "a", 0, Map.of(), status, null, 1, 0, false, notBefore, startedAt, endedAt, null);
    }

    private static final class TestClock extends Clock {
        private Instant now = T0;

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
