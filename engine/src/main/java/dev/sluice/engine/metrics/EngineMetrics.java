package dev.sluice.engine.metrics;

import dev.sluice.engine.run.StepState;
import dev.sluice.engine.scheduler.RunListener;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.TaskRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's Prometheus metrics, fed by the scheduler's committed state changes (a
 * {@link RunListener}: called on the scheduler thread, so each call only updates counters and two
 * maps) and read by {@code GET /metrics} from any thread.
 *
 * <ul>
 *   <li>{@code sluice_runs_started_total{pipeline}}: runs that went RUNNING;</li>
 *   <li>{@code sluice_runs_finished_total{pipeline,status}}: runs that ended, by final state;</li>
 *   <li>{@code sluice_step_duration_seconds{pipeline,status}}: each attempt, from RUNNING to its
 *       end; an attempt that failed and is retried counts as FAILED; cache hits are not attempts;</li>
 *   <li>{@code sluice_steps_queued} and {@code sluice_steps_running}: tasks in those states now
 *       (those this server saw enter them);</li>
 *   <li>{@code sluice_scheduler_lag_seconds}: from a task being QUEUED (or its retry delay
 *       ending, when later) to its attempt starting;</li>
 *   <li>the JVM: memory, GC, threads, class loading, CPU, open files, uptime.</li>
 * </ul>
 */
public final class EngineMetrics implements RunListener, AutoCloseable {

    /** The Prometheus text format's media type. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Duration[] STEP_BUCKETS = seconds(0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 12 * 3600);
    private static final Duration[] LAG_BUCKETS = seconds(0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 60);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Timer lag;
    /** task key to the instant it became ready */
    private final Map<String, Instant> queued = new ConcurrentHashMap<>();
    /** task key to the instant its attempt started */
    private final Map<String, Instant> running = new ConcurrentHashMap<>();

    public EngineMetrics(Clock clock) {
        this.clock = clock;
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("sluice.steps.queued", queued, Map::size)
                .description("Tasks QUEUED now: ready, waiting for a slot or their retry delay").register(registry);
        Gauge.builder("sluice.steps.running", running, Map::size).description("Tasks RUNNING now").register(registry);
        lag = Timer.builder("sluice.scheduler.lag")
                .description("From a task being ready (QUEUED, its retry delay over) to its attempt starting")
                .serviceLevelObjectives(LAG_BUCKETS).register(registry);
    }

    @Override
    public void runChanged(RunRecord run) {
        if (run.status() == dev.sluice.engine.run.RunState.RUNNING) {
            Counter.builder("sluice.runs.started").description("Runs that started")
                    .tag("pipeline", run.pipeline()).register(registry).increment();
        } else if (run.status().terminal()) {
            Counter.builder("sluice.runs.finished").description("Runs that ended, by final state")
                    .tag("pipeline", run.pipeline()).tag("status", run.status().name()).register(registry).increment();
            String prefix = key(run.id(), "");
            queued.keySet().removeIf(k -> k.startsWith(prefix));
            running.keySet().removeIf(k -> k.startsWith(prefix));
        }
    }

    @Override
    public void taskChanged(RunRecord run, TaskRecord task) {
        String key = key(run.id(), task.taskId());
        Instant now = clock.instant();
        Instant ready = queued.remove(key);
        Instant started = running.remove(key);
        StepState status = task.status();
        if (status == StepState.QUEUED) {
            queued.put(key, task.notBefore() != null && task.notBefore().isAfter(now) ? task.notBefore() : now);
        } else if (status == StepState.RUNNING) {
            Instant at = task.startedAt() != null ? task.startedAt() : now;
            running.put(key, at);
            if (ready != null) lag.record(positive(Duration.between(ready, at)));
        }
        if (started != null && status != StepState.RUNNING) {
            Instant end = status.terminal() && task.endedAt() != null ? task.endedAt() : now;
            String outcome = status == StepState.QUEUED ? StepState.FAILED.name() : status.name();
            Timer.builder("sluice.step.duration").description("Step attempts, from start to end, by how they ended")
                    .tag("pipeline", run.pipeline()).tag("status", outcome)
                    .serviceLevelObjectives(STEP_BUCKETS).register(registry)
                    .record(positive(Duration.between(started, end)));
        }
    }

    /** An alert fired (stored): {@code sluice_alerts_fired_total{pipeline, severity}}. */
    public void alertFired(String pipeline, String severity) {
        Counter.builder("sluice.alerts.fired").description("Alerts that fired when a run ended, by pipeline and severity")
                .tag("pipeline", pipeline).tag("severity", severity).register(registry).increment();
    }

    /** @return every metric in the Prometheus text format ({@link #CONTENT_TYPE}) */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    private static String key(String runId, String taskId) {
        return runId + '\u0000' + taskId;
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static Duration[] seconds(double... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) d[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        return d;
    }
}
