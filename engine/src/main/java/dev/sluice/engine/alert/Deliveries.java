package dev.sluice.engine.alert;

import dev.sluice.engine.background.WakeableLoop;
import dev.sluice.engine.store.MonitorStore;
import dev.sluice.engine.store.MonitorStore.Due;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the store's webhook outbox: each pending delivery that is due is claimed (so a slow try is not
 * taken twice, by this server or another), POSTed with the Standard Webhooks headers on a bounded pool of
 * its own, and its outcome recorded: delivered (2xx), retried on the schedule (timeouts, connection
 * errors, 429, 5xx; {@code Retry-After} honoured), failed (other answers, or the schedule is over), or the
 * channel disabled (410). {@code webhook-id} is the alert's id, the same on every try. A receiver that
 * never answers holds one pool thread for at most the {@link #TIMEOUT}; the scheduler never waits on it.
 * Logs name the channel, never its URL or secret.
 */
public final class Deliveries implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A claim outlives the longest try, so a crashed try is taken again after it. */
    static final Duration CLAIM = TIMEOUT.plusSeconds(60);
    static final int THREADS = 4;
    static final Duration MAX_SLEEP = Duration.ofSeconds(5);

    private final MonitorStore store;
    private final Channels channels;
    private final Clock clock;
    private final List<Duration> schedule;
    private final Duration timeout;
    private final HttpClient http;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final WakeableLoop loop = new WakeableLoop("sluice-deliveries", this::turn, Duration.ofSeconds(10));

    public Deliveries(MonitorStore store, Channels channels, Clock clock) {
        this(store, channels, clock, Webhook.SCHEDULE, TIMEOUT);
    }

    /** With another retry schedule and timeout (tests). */
    public Deliveries(MonitorStore store, Channels channels, Clock clock, List<Duration> schedule, Duration timeout) {
        this.store = store;
        this.channels = channels;
        this.clock = clock;
        this.schedule = List.copyOf(schedule);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(THREADS * 4), r -> {
            Thread t = new Thread(r, "sluice-webhook");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Claims what is due and hands it to the pool, as much as the pool can take. */
    public int deliverDue() {
        int room = THREADS * 4 - inFlight.get();
        if (room <= 0) return 0;
        Instant now = clock.instant();
        List<Due> due = store.claimDue(now, now.plus(timeout).plus(CLAIM), room);
        for (Due d : due) {
            inFlight.incrementAndGet();
            try {
                pool.execute(() -> {
                    try {
                        tryOnce(d);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            } catch (RejectedExecutionException e) {
                inFlight.decrementAndGet(); // its claim runs out and it is taken again
            }
        }
        return due.size();
    }

    /** One try of one delivery, recorded. */
    void tryOnce(Due d) {
        String alertId = d.alert().id();
        String channel = d.channel();
        int attempts = d.attempts() + 1;
        var c = channels.get(channel);
        if (c.isEmpty()) {
            store.recordTry(alertId, channel, "failed", attempts, "channel " + channel + " is not configured on this server", null, null);
            log.warn("[alert {}] channel {} is not configured on this server: not delivered", alertId, channel);
            return;
        }
        String body = Webhook.body(d.alert());
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest.Builder req = HttpRequest.newBuilder(c.get().url()).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "sluice-webhook")
                .header("webhook-id", alertId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (c.get().secret() != null) req.header("webhook-signature", Webhook.signature(c.get().secret(), alertId, timestamp, body));
        String error;
        Duration retryAfter = null;
        try {
            HttpResponse<Void> res = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
            int status = res.statusCode();
            if (status >= 200 && status < 300) {
                store.recordTry(alertId, channel, "delivered", attempts, null, null, clock.instant());
                log.info("[alert {}] delivered to channel {} (try {})", alertId, channel, attempts);
                return;
            }
            if (status == 410) {
                store.recordTry(alertId, channel, "disabled", attempts, "HTTP 410: the receiver is gone", null, null);
                store.disableChannel(channel, "HTTP 410 on alert " + alertId, clock.instant());
                log.warn("[alert {}] channel {} answered 410: disabled until re-enabled", alertId, channel);
                return;
            }
            error = "HTTP " + status;
            if (status != 429 && status < 500) {
                store.recordTry(alertId, channel, "failed", attempts, error + " (not retried)", null, null);
                log.warn("[alert {}] channel {} answered {}: not retried", alertId, channel, status);
                return;
            }
            retryAfter = Webhook.retryAfter(res.headers().firstValue("Retry-After").orElse(null), clock.instant());
        } catch (HttpTimeoutException e) {
            error = "no answer within " + timeout.toSeconds() + " s";
        } catch (IOException e) {
            error = "cannot connect: " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // the claim runs out: tried again later
        }
        Duration delay = Webhook.nextDelay(attempts, schedule);
        if (delay == null) {
            store.recordTry(alertId, channel, "failed", attempts, error + "; no try left", null, null);
            log.warn("[alert {}] channel {}: {}; no try left", alertId, channel, error);
            return;
        }
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) delay = retryAfter;
        store.recordTry(alertId, channel, "pending", attempts, error, clock.instant().plus(delay), null);
        log.info("[alert {}] channel {}: {}; try {} in {} s", alertId, channel, error, attempts + 1, delay.toSeconds());
        wake();
    }

    public void start() {
        loop.start();
    }

    /** Look now: an alert fired, or a try was recorded. */
    public void wake() {
        loop.wake();
    }

    /** Sends what is due; sleeps until the next try is due (1 ms after it), at most {@link #MAX_SLEEP}. */
    private Duration turn() {
        Duration sleep = MAX_SLEEP;
        try {
            deliverDue();
            Instant next = store.nextDue().orElse(null);
            if (next != null) {
                Duration until = Duration.between(clock.instant(), next).plusMillis(1);
                if (until.compareTo(sleep) < 0) sleep = until;
            }
        } catch (RuntimeException e) {
            log.warn("webhook deliveries: {}", e.getMessage());
        }
        return sleep;
    }

    @Override
    public void close() {
        loop.close();
        pool.shutdownNow();
    }
}
