package dev.sluice.engine.api;

import dev.sluice.engine.store.Store;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET|HEAD /api/health}: 200 when the server answers, its store answers and its data dir has
 * room; else 503 with the reason. A full disk shows here before (and after) the database fails on
 * it; once space returns the store reopens itself and this answers 200 again.
 */
public final class HealthHandler {

    /** Below this much free space on the data dir, writes (database, logs, outputs) are about to fail. */
    public static final long MIN_FREE_BYTES = 8L * 1024 * 1024;

    private final Store store;
    private final Path dataDir;

    /** @param dataDir a folder on the file system the store, logs and outputs are written to */
    public HealthHandler(Store store, Path dataDir) {
        this.store = store;
        this.dataDir = dataDir;
    }

    public void get(RoutingContext ctx) {
        Http.blocking(ctx, () -> {
            Optional<String> problem = diskProblem(dataDir).or(store::problem);
            if (problem.isEmpty()) return Reply.ok(Map.of("status", "ok"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "unavailable");
            body.put("message", problem.get());
            return Reply.json(503, body);
        });
    }

    /** Why the folder's file system cannot take writes now, if it cannot. */
    static Optional<String> diskProblem(Path dir) {
        try {
            Path existing = dir;
            while (existing != null && !Files.exists(existing)) existing = existing.getParent();
            if (existing == null) return Optional.empty();
            long free = Files.getFileStore(existing).getUsableSpace();
            if (free < MIN_FREE_BYTES) {
                return Optional.of("the disk of the data dir is full (" + free / 1024 + " KiB free, under "
                        + MIN_FREE_BYTES / (1024 * 1024) + " MiB): writes fail until space is freed");
            }
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.of("cannot see the free space of the data dir: " + e.getClass().getSimpleName());
        }
    }
}
