package dev.sluice.engine.server;

import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.pipeline.Problem;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code *.yaml} files of a folder, saved as pipeline versions: all of them when the server
 * starts, then, while {@link #watch watched}, each file added or changed. An invalid file is
 * logged as {@code file:line:col: message} lines and skipped: the pipeline keeps its previous
 * version, and the server starts anyway.
 *
 * <p>Watching polls the names, sizes and modification times of the files (rather than a
 * {@code WatchService}, which editors that save by renaming a temporary file confuse, and which
 * polls on macOS anyway). A changed file is read once it has looked the same for two polls, so a
 * file caught half-written is not reported as invalid.
 *
 * <p>A file removed while watched (or whose {@code name:} changed) deletes its pipeline, unless
 * another file still declares that name, or the pipeline's latest version is no longer the text
 * last read from the file (it was changed through the API since: that change wins). A file removed
 * while the server was down is not noticed.
 */
public final class PipelineFolder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PipelineFolder.class);

    /** What a poll saw of a file; a file is read when a poll sees what the previous one saw. */
    private record Seen(FileTime modified, long size, boolean read) {}

    /** The pipeline a file declared, and the sha256 of its text, when last read valid. */
    private record Loaded(String name, String sha256) {}

    private final Store store;
    private final Path dir;
    private final Map<Path, Seen> seen = new HashMap<>();
    private final Map<Path, Loaded> loaded = new HashMap<>();
    /** Pipelines whose file went away (name to the sha256 last read), not yet decided upon. */
    private final Map<String, String> undeclared = new LinkedHashMap<>();
    private ScheduledExecutorService poller;
    private boolean first = true;

    public PipelineFolder(Store store, Path dir) {
        this.store = Objects.requireNonNull(store, "store");
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    /**
     * Saves every valid file once, as the server does when it starts.
     *
     * @return the versions saved (or found unchanged), in file name order
     * @throws UncheckedIOException when the folder cannot be listed
     */
    public static List<PipelineVersion> load(Store store, Path dir) {
        return new PipelineFolder(store, dir).scan();
    }

    /**
     * One look at the folder: the first saves every valid file; later ones save the files changed
     * since, and delete the pipelines of removed files (see the class comment).
     *
     * @return the versions saved (or found unchanged) by this look, in file name order
     * @throws UncheckedIOException when the folder cannot be listed
     */
    public synchronized List<PipelineVersion> scan() {
        return look().saved();
    }

    /** What one look did: the versions saved (or found unchanged), how many pipelines it deleted. */
    private record Look(List<PipelineVersion> saved, int deleted) {}

    /** The pipeline each loaded file declares, for the trigger cycles between files. */
    private final Map<Path, dev.sluice.engine.pipeline.Pipeline> declared = new java.util.HashMap<>();

    private Look look() {
        Look look = lookOnce();
        if (!look.saved().isEmpty()) {
            // files loaded together: a trigger cycle between them is reported where it closes (runs cut it too)
            for (Problem p : dev.sluice.engine.pipeline.TriggerCycles.check(List.copyOf(declared.values()))) {
                log.warn("{} (the run that would close it is not started)", p.format());
            }
        }
        return look;
    }

    private Look lookOnce() {
        Map<Path, BasicFileAttributes> files = list();
        List<PipelineVersion> saved = new ArrayList<>();
        Map<String, String> dropped = new LinkedHashMap<>(); // name -> sha256 of the text last read for it
        for (Map.Entry<Path, BasicFileAttributes> f : files.entrySet()) {
            Path file = f.getKey();
            Seen now = new Seen(f.getValue().lastModifiedTime(), f.getValue().size(), false);
            Seen before = seen.get(file);
            boolean same = before != null && before.modified().equals(now.modified()) && before.size() == now.size();
            if (same && before.read()) continue;
            if (!same && !first) {
                seen.put(file, now); // changed: read it when the next look finds it the same
                continue;
            }
            seen.put(file, new Seen(now.modified(), now.size(), true));
            Loaded was = loaded.get(file);
            Optional<PipelineVersion> v = read(file);
            if (v.isEmpty()) continue;
            saved.add(v.get());
            loaded.put(file, new Loaded(v.get().name(), v.get().sha256()));
            if (was != null && !was.name().equals(v.get().name())) dropped.put(was.name(), was.sha256());
        }
        first = false;
        for (Path gone : new ArrayList<>(seen.keySet())) {
            if (files.containsKey(gone)) continue;
            seen.remove(gone);
            Loaded was = loaded.remove(gone);
            declared.remove(gone);
            if (was != null) dropped.put(was.name(), was.sha256());
        }
        // a file renamed (or replaced) shows up as a removal and an addition read one look later:
        // decide about removals once every file seen has been read
        undeclared.putAll(dropped);
        if (seen.values().stream().anyMatch(f -> !f.read())) return new Look(saved, 0);
        int deleted = 0;
        for (Map.Entry<String, String> d : undeclared.entrySet()) {
            if (drop(d.getKey(), d.getValue())) deleted++;
        }
        undeclared.clear();
        return new Look(saved, deleted);
    }

    /** Deletes a pipeline no file declares any more, unless it was changed through the API since. */
    private boolean drop(String name, String sha256) {
        if (loaded.values().stream().anyMatch(l -> l.name().equals(name))) return false;
        Optional<PipelineVersion> latest = store.latestPipeline(name);
        if (latest.isEmpty()) return false;
        if (!latest.get().sha256().equals(sha256)) {
            log.info("{}: no file declares pipeline {} any more; kept, as it was changed through the API since", dir, name);
            return false;
        }
        boolean deleted = store.deletePipeline(name);
        if (deleted) log.info("{}: no file declares pipeline {} any more; deleted (its runs stay)", dir, name);
        return deleted;
    }

    /** Looks every {@code every} on a daemon thread, telling {@code changed} after it saved or deleted something. */
    public synchronized void watch(Duration every, Runnable changed) {
        Objects.requireNonNull(changed, "changed");
        if (poller != null) throw new IllegalStateException("already watching");
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-pipelines-watch");
            t.setDaemon(true);
            return t;
        });
        long millis = every.toMillis();
        poller.scheduleWithFixedDelay(() -> {
            try {
                Look look;
                synchronized (this) {
                    look = look();
                }
                if (!look.saved().isEmpty() || look.deleted() > 0) changed.run();
            } catch (RuntimeException e) {
                log.warn("{}: cannot look at the pipelines folder: {}", dir, e.getMessage());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Stops watching; a look in progress finishes first (not interrupted: H2 closes files on interrupts). */
    @Override
    public void close() {
        ScheduledExecutorService p;
        synchronized (this) {
            p = poller;
            poller = null;
        }
        if (p == null) return;
        p.shutdown();
        try {
            if (!p.awaitTermination(30, TimeUnit.SECONDS)) log.warn("{}: the folder watch did not stop in time", dir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<Path, BasicFileAttributes> list() {
        Map<Path, BasicFileAttributes> files = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                try {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    if (a.isRegularFile()) files.put(f, a);
                } catch (NoSuchFileException e) {
                    // removed between the listing and this look
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the pipelines folder " + dir + ": " + e.getMessage(), e);
        }
        return files;
    }

    /** Reads, validates and saves one file; empty (and logged) when it cannot. */
    private Optional<PipelineVersion> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            log.warn("{}:1:1: file is not valid UTF-8 text; not loaded", file);
            return Optional.empty();
        } catch (IOException e) {
            log.warn("{}: cannot read: {}", file, e.getMessage());
            return Optional.empty();
        }
        ParseResult parsed = PipelineLoader.parse(file.toString(), text, dir.toAbsolutePath().normalize());
        if (!parsed.ok()) {
            log.warn("{}: invalid, not loaded ({} problem(s))", file, parsed.problems().size());
            for (Problem p : parsed.problems()) log.warn("{}", p.format());
            return Optional.empty();
        }
        declared.put(file, parsed.pipeline());
        PipelineVersion v = store.savePipeline(parsed.pipeline().name(), text);
        log.info("{}: pipeline {} v{}", file, v.name(), v.version());
        return Optional.of(v);
    }
}
