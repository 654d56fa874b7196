package dev.sluice.engine.trigger;

import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.Pipeline;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.pipeline.Schedule;
import dev.sluice.engine.schedule.CronTrigger;
import dev.sluice.engine.store.PipelineState;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.Store;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedule of each pipeline's latest version, parsed once per version, and since when that
 * schedule has been in force. Not thread-safe: its one caller, {@link CronService#fire}, is
 * synchronized.
 */
final class ScheduledPipelines {

    private static final Logger log = LoggerFactory.getLogger(ScheduledPipelines.class);

    /**
     * @param trigger the latest version's schedule, or null when it has none (or does not parse)
     * @param since   when the versions with this same cron and zone began: a new cron does not
     *                catch up the ticks it would have had before it was saved
     */
    record Entry(PipelineVersion version, Pipeline pipeline, CronTrigger trigger, Instant since) {
        boolean scheduled() {
            return trigger != null;
        }
    }

    private final Store store;
    private final Path baseDir;
    private final Map<String, Entry> byName = new HashMap<>();

    ScheduledPipelines(Store store, Path baseDir) {
        this.store = store;
        this.baseDir = baseDir;
    }

    /** The latest version's schedule; empty when the version is gone (deleted meanwhile). */
    Optional<Entry> of(PipelineState state) {
        Entry cached = byName.get(state.name());
        if (cached != null && cached.version().version() == state.latestVersion()) return Optional.of(cached);
        Optional<Entry> fresh = load(state.name(), state.latestVersion());
        fresh.ifPresent(e -> byName.put(state.name(), e));
        return fresh;
    }

    /** Forgets pipelines not in the list (deleted ones). */
    void retain(List<PipelineState> states) {
        byName.keySet().retainAll(states.stream().map(PipelineState::name).toList());
    }

    private Optional<Entry> load(String name, int latestVersion) {
        List<PipelineVersion> versions = store.pipelineVersions(name);
        if (versions.isEmpty() || versions.get(versions.size() - 1).version() != latestVersion) return Optional.empty();
        PipelineVersion latest = versions.get(versions.size() - 1);
        Pipeline pipeline = parse(latest);
        if (pipeline == null) {
            log.warn("[pipeline {}] v{} does not validate here; its schedule does not fire", name, latestVersion);
            return Optional.of(new Entry(latest, null, null, latest.createdAt()));
        }
        Schedule schedule = pipeline.schedule();
        if (schedule == null) return Optional.of(new Entry(latest, pipeline, null, latest.createdAt()));
        CronTrigger trigger;
        try {
            trigger = new CronTrigger(schedule);
        } catch (IllegalArgumentException e) {
            log.warn("[pipeline {}] v{}: {}; its schedule does not fire", name, latestVersion, e.getMessage());
            return Optional.of(new Entry(latest, pipeline, null, latest.createdAt()));
        }
        Instant since = latest.createdAt();
        for (int i = versions.size() - 2; i >= 0; i--) {
            Pipeline older = parse(versions.get(i));
            if (older == null || !sameTicks(schedule, older.schedule())) break;
            since = versions.get(i).createdAt();
        }
        return Optional.of(new Entry(latest, pipeline, trigger, since));
    }

    private Pipeline parse(PipelineVersion v) {
        ParseResult parsed = PipelineLoader.parse(v.name() + ".yaml", v.text(), baseDir);
        return parsed.ok() ? parsed.pipeline() : null;
    }

    /** Same cron and zone: the same ticks (catchup may differ, it does not move ticks). */
    private static boolean sameTicks(Schedule a, Schedule b) {
        return b != null && a.cron().equals(b.cron()) && Objects.equals(a.timezone(), b.timezone());
    }
}
