package dev.sluice.engine.trigger;

import dev.sluice.engine.background.WakeableLoop;
import dev.sluice.engine.alert.AlertEvaluator;
import dev.sluice.engine.expr.Expressions;
import dev.sluice.engine.pipeline.AlertRule;
import dev.sluice.engine.pipeline.EventTrigger;
import dev.sluice.engine.pipeline.ParamValues;
import dev.sluice.engine.scheduler.NewRun;
import dev.sluice.engine.store.AlertRecord;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.ConflictException;
import dev.sluice.engine.store.MonitorStore;
import dev.sluice.engine.store.MonitorStore.AliasMove;
import dev.sluice.engine.store.MonitorStore.RunEnd;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.StoreException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts runs on events, exactly once each: the end of a run (its pipeline's alerts, the {@code pipeline}
 * triggers of other pipelines, an alert's {@code trigger:}) and a move of a model alias (the registry's
 * append-only {@code model_alias_moves}, read by id behind a cursor).
 *
 * <p>Exactly once survives a crash anywhere: a run's end is pending in the store from the commit that
 * ended it, and everything it causes (fired alerts with their pending deliveries, triggered runs, notes)
 * is committed in one transaction with the end marked handled (a compare-and-set); alias moves likewise
 * with the cursor's move. Every triggered run also carries a {@code trigger_key} unique per pipeline.
 *
 * <p>A trigger cycle that validation could not see (the files were saved apart) is cut at run time: each
 * event-started run carries the chain of pipelines that led to it, and a trigger back into the chain is
 * not fired; the ending run's events say so.
 */
public final class EventTriggers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventTriggers.class);
    public static final String MODEL_CURSOR = "model_alias_moves";
    static final Duration POLL = Duration.ofSeconds(1);
    static final int BATCH = 50;
    private static final int MAX_CHAIN = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final MonitorStore monitor;
    private final CronService.RunStarter starter;
    private final Clock clock;
    private final String owner;
    private final Catalog catalog;
    private final AlertEvaluator evaluator;
    private final Consumer<AlertRecord> fired;
    private final WakeableLoop loop = new WakeableLoop("sluice-events", this::turn, Duration.ofSeconds(30));

    /**
     * @param fired told of every alert committed (the Prometheus counter, the delivery service's wake)
     */
    public EventTriggers(Store store, CronService.RunStarter starter, Path baseDir, Clock clock, String owner,
            Expressions expressions, Consumer<AlertRecord> fired) {
        this.store = Objects.requireNonNull(store, "store");
        this.monitor = store.monitor();
        this.starter = Objects.requireNonNull(starter, "starter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.catalog = new Catalog(store, baseDir);
        this.evaluator = new AlertEvaluator(expressions);
        this.fired = fired == null ? a -> { } : fired;
    }

    /** Handles every pending run end and alias move now; returns the runs it started. */
    public synchronized List<RunRecord> poll() {
        List<RunRecord> started = new ArrayList<>();
        for (RunEnd end : monitor.pendingEnds(BATCH)) {
            try {
                started.addAll(handle(end));
            } catch (StoreException e) {
                throw e; // the store wavers: the whole look again later
            } catch (RuntimeException e) {
                // a bug must not hold back every later end: this one is marked handled, its events say why
                log.error("[pipeline {}] [run {}] its alerts and triggers could not be handled: {}", end.run().pipeline(),
                        end.run().id(), e.toString());
                store.commit(List.of(new Change.NoteRun(end.run().id(), clock.instant(), end.run().status(),
                        "alerts and triggers not handled: " + e.getMessage()), new Change.EndHandled(end.run().id())));
            }
        }
        started.addAll(modelMoves());
        return started;
    }

    private record Start(Change.CreateRun create, Catalog.Parsed target) {}

    private List<RunRecord> handle(RunEnd end) {
        RunRecord run = end.run();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<Start> starts = new ArrayList<>();
        List<Change> alerts = new ArrayList<>();
        List<Change> notes = new ArrayList<>();
        List<String> chain = chain(run);
        var source = catalog.version(run.pipeline(), run.version());
        List<Catalog.Parsed> active = catalog.active();
        if (source.isPresent() && !source.get().pipeline().alerts().isEmpty()) {
            List<AlertRule> rules = source.get().pipeline().alerts();
            var outcomes = evaluator.evaluate(rules, run, store.tasks(run.id()), store.metrics(run.id()));
            for (AlertEvaluator.Outcome o : outcomes) {
                if (o.whyNot() != null) notes.add(new Change.NoteRun(run.id(), now, run.status(), o.whyNot()));
                if (!o.fired()) continue;
                String alertId = newAlertId(now);
                String triggeredRunId = null;
                String target = o.rule().trigger();
                if (target != null) {
                    Map<String, Object> info = new LinkedHashMap<>();
                    info.put("type", "alert");
                    info.put("alert_id", alertId);
                    info.put("pipeline", run.pipeline());
                    info.put("run_id", run.id());
                    Start s = startFor(target, active, chain, run, "alert:" + alertId, info, now, notes);
                    if (s != null) {
                        starts.add(s);
                        triggeredRunId = s.create().run().id();
                    }
                }
                alerts.add(new Change.FireAlert(new AlertRecord(alertId, run.pipeline(), run.id(), end.endEvent(),
                        o.rule().index(), o.rule().severity(), o.message(), now, target, triggeredRunId, List.of()),
                        o.rule().channels()));
            }
        }
        for (Catalog.Parsed p : active) {
            for (EventTrigger t : p.pipeline().triggers()) {
                if (!t.isPipeline() || !t.pipeline().equals(run.pipeline()) || !t.statuses().contains(run.status().name())) continue;
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("type", "pipeline");
                info.put("pipeline", run.pipeline());
                info.put("run_id", run.id());
                info.put("status", run.status().name());
                Start s = startFor(p.version().name(), active, chain, run, "pipeline:" + run.id() + ":" + end.endEvent(), info, now, notes);
                if (s != null) starts.add(s);
            }
        }
        List<Change> changes = new ArrayList<>();
        starts.forEach(s -> changes.add(s.create()));
        changes.addAll(alerts);
        changes.addAll(notes);
        changes.add(new Change.EndHandled(run.id()));
        try {
            store.commit(changes);
        } catch (ConflictException e) {
            log.warn("[pipeline {}] [run {}] its end was handled meanwhile ({})", run.pipeline(), run.id(), e.getMessage());
            return List.of();
        }
        for (Change c : alerts) {
            AlertRecord a = ((Change.FireAlert) c).alert();
            log.info("[pipeline {}] [run {}] alert {} fired ({})", run.pipeline(), run.id(), a.id(), a.severity());
            fired.accept(a);
        }
        return startAll(starts);
    }

    /** A run of {@code target} for an event, or null (noted) when the pipeline is not active or it would close a cycle. */
    private Start startFor(String target, List<Catalog.Parsed> active, List<String> chain, RunRecord source, String key,
            Map<String, Object> info, Instant now, List<Change> notes) {
        Catalog.Parsed p = active.stream().filter(a -> a.version().name().equals(target)).findFirst().orElse(null);
        if (p == null) {
            notes.add(new Change.NoteRun(source.id(), now, source.status(), "trigger of " + target
                    + " not fired: no such pipeline, or it is paused or does not validate"));
            return null;
        }
        List<String> next = new ArrayList<>(chain);
        next.add(source.pipeline());
        if (next.contains(target) || next.size() > MAX_CHAIN) {
            next.add(target);
            String path = String.join(" -> ", next);
            notes.add(new Change.NoteRun(source.id(), now, source.status(), "trigger cycle cut: " + path));
            log.warn("[pipeline {}] [run {}] trigger cycle cut: {}", source.pipeline(), source.id(), path);
            return null;
        }
        info.put("chain", String.join(">", next));
        return new Start(create(p, key, info, now), p);
    }

    private Change.CreateRun create(Catalog.Parsed p, String key, Map<String, Object> info, Instant now) {
        Map<String, Object> params = ParamValues.resolve(p.pipeline().params(), Map.of());
        Change.CreateRun c = NewRun.create(NewRun.newId(now), p.version(), p.plan(), params, (String) info.get("type"), now, now, owner);
        return new Change.CreateRun(c.run().withTrigger(info, key), c.tasks());
    }

    private static List<String> chain(RunRecord run) {
        Object c = run.triggerInfo().get("chain");
        if (!(c instanceof String s) || s.isEmpty()) return List.of();
        return Arrays.asList(s.split(">"));
    }

    private List<RunRecord> modelMoves() {
        OptionalLong cursor = monitor.cursor(MODEL_CURSOR);
        if (cursor.isEmpty()) {
            // the first look: moves made before the server knew of triggers do not fire
            try {
                store.commit(List.of(new Change.MoveCursor(MODEL_CURSOR, null, monitor.lastAliasMove())));
            } catch (ConflictException e) {
                log.debug("model cursor created meanwhile");
            }
            return List.of();
        }
        List<AliasMove> moves = monitor.aliasMoves(cursor.getAsLong(), BATCH);
        if (moves.isEmpty()) return List.of();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<Catalog.Parsed> active = catalog.active();
        List<Start> starts = new ArrayList<>();
        for (AliasMove m : moves) {
            if (m.toVersion() == null || m.toVersion().equals(m.fromVersion())) continue; // deleted, or not moved
            for (Catalog.Parsed p : active) {
                for (EventTrigger t : p.pipeline().triggers()) {
                    if (t.isPipeline() || !t.model().equals(m.model()) || !t.alias().equals(m.alias())) continue;
                    Map<String, Object> info = new LinkedHashMap<>();
                    info.put("type", "model");
                    info.put("model", m.model());
                    info.put("alias", m.alias());
                    info.put("version", m.toVersion());
                    info.put("from_version", m.fromVersion());
                    info.put("move_id", m.id());
                    starts.add(new Start(create(p, "model:" + m.id(), info, now.plus(starts.size(), ChronoUnit.MICROS)), p));
                }
            }
        }
        List<Change> changes = new ArrayList<>();
        starts.forEach(s -> changes.add(s.create()));
        changes.add(new Change.MoveCursor(MODEL_CURSOR, cursor.getAsLong(), moves.get(moves.size() - 1).id()));
        try {
            store.commit(changes);
        } catch (ConflictException e) {
            log.warn("alias moves were handled meanwhile ({})", e.getMessage());
            return List.of();
        }
        return startAll(starts);
    }

    private List<RunRecord> startAll(List<Start> starts) {
        List<RunRecord> out = new ArrayList<>();
        for (Start s : starts) {
            RunRecord r = s.create().run();
            log.info("[pipeline {}] [run {}] created by a {} trigger ({})", r.pipeline(), r.id(), r.trigger(), r.triggerKey());
            starter.start(s.target().plan(), r, s.create().tasks());
            out.add(r);
        }
        return out;
    }

    private static String newAlertId(Instant now) {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return "alert-" + now.toEpochMilli() + "-" + HexFormat.of().formatHex(b);
    }

    /** Starts the thread: a look every {@link #POLL}, and at once on {@link #wake}. */
    public void start() {
        loop.start();
    }

    /** Look now: a run ended. */
    public void wake() {
        loop.wake();
    }

    private Duration turn() {
        try {
            poll();
        } catch (RuntimeException e) {
            log.warn("event triggers: {}", e.getMessage()); // the store is down, or we lost the lead: again shortly
        }
        return POLL;
    }

    @Override
    public void close() {
        loop.close();
    }
}
