package dev.sluice.engine.retention;

import dev.sluice.engine.store.RetentionPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's retention ({@code sluice server --retention 30d --keep-runs 100}): a
 * {@link GarbageCollector} pass every {@code every}, on its own thread, on the server that leads
 * (followers skip their turn, so one server of a cluster collects). A failed pass is logged and
 * the next one tries again.
 */
public final class RetentionService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RetentionService.class);

    private final GarbageCollector gc;
    private final RetentionPolicy policy;
    private final BooleanSupplier leading;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-retention");
        t.setDaemon(true);
        return t;
    });

    public RetentionService(GarbageCollector gc, RetentionPolicy policy, BooleanSupplier leading) {
        this.gc = Objects.requireNonNull(gc, "gc");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.leading = Objects.requireNonNull(leading, "leading");
    }

    /** First pass after {@code first}, then one every {@code every}. */
    public RetentionService start(Duration first, Duration every) {
        thread.scheduleWithFixedDelay(this::pass, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass now, if this server leads; null when it did not run. */
    GarbageCollector.Report pass() {
        if (!leading.getAsBoolean()) return null;
        try {
            GarbageCollector.Report r = gc.run(policy, false);
            if (r.runs() > 0 || r.bytes() > 0) {
                log.info("retention: deleted {} ended runs and {} artifact files ({} bytes) in {} ms", r.runs(),
                        r.files().files() + r.files().leftovers(), r.bytes(), r.took().toMillis());
            }
            return r;
        } catch (RuntimeException e) {
            log.warn("retention: the pass failed, the next one tries again: {}", e.toString());
            return null;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
