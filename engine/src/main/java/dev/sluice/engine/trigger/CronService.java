package dev.sluice.engine.trigger;

import dev.sluice.engine.background.WakeableLoop;
import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.pipeline.ParamValues;
import dev.sluice.engine.schedule.CronTrigger;
import dev.sluice.engine.schedule.Due;
import dev.sluice.engine.scheduler.NewRun;
import dev.sluice.engine.scheduler.RunControl;
import dev.sluice.engine.scheduler.Scheduler;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.ConflictException;
import dev.sluice.engine.store.PipelineState;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.TaskRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires pipeline schedules: for every pipeline neither paused nor deleted whose latest version
 * has a {@code schedule}, one run per due tick (see {@link CronTrigger#due}), with the tick as its
 * logical date and the params' defaults.
 *
 * <p>A tick never fires twice: each run is committed alone, and the store refuses a second run
 * for the same pipeline and tick (another server on the same database, or this one before a
 * restart, fired it), which is then skipped. Ticks at or before the pipeline's
 * {@link PipelineState#scheduleSince} (creation, last unpause, return after a delete) and before
 * its current cron was saved never fire, so only time the server was down is caught up.
 *
 * <p>{@link #start} runs a daemon thread that fires at each next tick, wakes at least every
 * {@link #MAX_SLEEP} to see new pipelines, and at once on {@link #wake}.
 */
public final class CronService implements AutoCloseable {

    /** The longest the thread sleeps: pipelines saved without a {@link #wake} are seen this late. */
    public static final Duration MAX_SLEEP = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(CronService.class);

    /** Starts a committed run; the server passes its {@link RunControl}. */
    @FunctionalInterface
    public interface RunStarter {
        void start(Plan plan, RunRecord run, List<TaskRecord> tasks);

        /** Runs go to the scheduler; a run it cannot finish is logged. */
        static RunStarter of(RunControl scheduler) {
            return (plan, run, tasks) -> scheduler.start(plan, run, tasks).whenComplete((end, error) -> {
                if (error != null && !Scheduler.handedOver(error)) {
                    log.error("[pipeline {}] [run {}] the scheduler could not finish it: {}", run.pipeline(), run.id(), error.toString());
                }
            });
        }
    }

    /**
     * What one {@link #fire} did.
     *
     * @param created the runs it created, oldest tick first per pipeline
     * @param next    the earliest tick after {@code now} of any active schedule, or null if none
     */
    public record Firing(List<RunRecord> created, Instant next) {
        public Firing {
            created = List.copyOf(created);
        }
    }

    private final Store store;
    private final RunStarter starter;
    private final Clock clock;
    private final String owner;
    private final ScheduledPipelines pipelines;
    private final WakeableLoop loop = new WakeableLoop("sluice-cron", this::turn, Duration.ofSeconds(30));

    /**
     * @param baseDir the folder relative workdirs resolve against (as for runs started over HTTP)
     * @param owner   recorded on the runs it creates, e.g. the server's owner string
     */
    public CronService(Store store, RunStarter starter, Path baseDir, Clock clock, String owner) {
        this.store = Objects.requireNonNull(store, "store");
        this.starter = Objects.requireNonNull(starter, "starter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.pipelines = new ScheduledPipelines(store, Objects.requireNonNull(baseDir, "baseDir"));
    }

    /** Creates and starts the runs of every tick due at {@code now}. */
    public synchronized Firing fire(Instant now) {
        List<PipelineState> states = store.pipelineStates();
        pipelines.retain(states);
        List<RunRecord> created = new ArrayList<>();
        Instant next = null;
        for (PipelineState state : states) {
            if (state.paused()) continue;
            Optional<ScheduledPipelines.Entry> entry = pipelines.of(state);
            if (entry.isEmpty() || !entry.get().scheduled()) continue;
            fire(state, entry.get(), now, created);
            Instant after = entry.get().trigger().next(now).orElse(null);
            if (after != null && (next == null || after.isBefore(next))) next = after;
        }
        return new Firing(created, next);
    }

    private void fire(PipelineState state, ScheduledPipelines.Entry entry, Instant now, List<RunRecord> created) {
        String name = state.name();
        Instant since = later(state.scheduleSince(), entry.since());
        Due due = entry.trigger().due(store.latestScheduleTick(name).orElse(null), since, now);
        due.skipped().ifPresent(s -> log.warn("[pipeline {}] catchup: {} missed tick(s) from {} to {} left out (at most {} fire)",
                name, s.count(), s.first(), s.last(), CronTrigger.MAX_CATCHUP));
        if (due.isEmpty()) return;
        Plan plan = Planner.plan(entry.pipeline());
        Map<String, Object> params = ParamValues.resolve(entry.pipeline().params(), Map.of());
        for (int i = 0; i < due.ticks().size(); i++) {
            Instant tick = due.ticks().get(i);
            // one microsecond apart, so runs of one catchup sort (and start) in tick order
            Instant at = now.truncatedTo(ChronoUnit.MICROS).plus(i, ChronoUnit.MICROS);
            Change.CreateRun create = commit(entry, plan, params, tick, at);
            if (create == null) {
                log.debug("[pipeline {}] tick {} already fired", name, tick);
                continue;
            }
            log.info("[pipeline {}] [run {}] created by the schedule for {} (v{})", name, create.run().id(), tick,
                    entry.version().version());
            created.add(create.run());
            starter.start(plan, create.run(), create.tasks());
        }
    }

    /**
     * Commits the run of one tick, or returns null when the tick already has one. A conflict is
     * tried once more with a new id, in case the run id (random in its last 24 bits) was taken.
     */
    private Change.CreateRun commit(ScheduledPipelines.Entry entry, Plan plan, Map<String, Object> params, Instant tick,
            Instant at) {
        for (int attempt = 1; ; attempt++) {
            Change.CreateRun create = NewRun.create(NewRun.newId(at), entry.version(), plan, params, "schedule", tick, at, owner);
            try {
                store.commit(List.of(create, dev.sluice.engine.scheduler.Provenances.capture(store, plan.pipeline(),
                        entry.version(), plan, create.run().id(), null)));
                return create;
            } catch (ConflictException e) {
                if (attempt == 2) return null;
            }
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Starts the thread that fires schedules on time. */
    public void start() {
        loop.start();
    }

    /** Look again now: a pipeline was saved, paused or unpaused. */
    public void wake() {
        loop.wake();
    }

    /** Fires what is due; sleeps until the next tick, at most {@link #MAX_SLEEP}. */
    private Duration turn() {
        Instant next = null;
        try {
            next = fire(clock.instant()).next();
        } catch (RuntimeException e) {
            log.warn("schedules: {}", e.getMessage()); // the store is down: try again shortly
        }
        if (next == null) return MAX_SLEEP;
        Duration until = Duration.between(clock.instant(), next);
        return until.compareTo(MAX_SLEEP) < 0 ? until : MAX_SLEEP;
    }

    /** Stops the thread; a fire in progress finishes first. */
    @Override
    public void close() {
        loop.close();
    }
}
