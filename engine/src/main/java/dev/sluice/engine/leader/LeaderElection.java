package dev.sluice.engine.leader;

import dev.sluice.engine.store.Fence;
import dev.sluice.engine.store.LeaderLease;
import dev.sluice.engine.scheduler.Owner;
import dev.sluice.engine.store.LeaseInfo;
import dev.sluice.engine.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this server in the race for a {@link LeaderLease}: a follower tries to take it every
 * {@link Timings#acquireEvery}, a leader renews it every {@link Timings#renewEvery} for
 * {@link Timings#ttl}. The {@link Listener} hears {@code onElected(epoch)} and {@code onDemoted()},
 * alternately, in order, on a thread of their own (they may block: a slow callback delays the next
 * one, not the renewals).
 *
 * <p><b>Self-fencing.</b> A leader stops being one when a renewal says the lease is gone, and also
 * when no renewal has succeeded for {@code ttl - margin} (measured on this machine's monotonic
 * clock from the moment the last successful renewal was <em>sent</em>, which is no later than the
 * database's own start of that renewal): the database is slow or out of reach, and the lease could
 * run out under a leader that does not know it. {@link #epoch()} and {@link #fence()} answer "not
 * leader" from that instant, before the database would let anyone else in, and {@code onDemoted}
 * follows at once. A process frozen past that point (a GC pause, SIGSTOP) is still refused by the
 * database: the fence's check runs in the transaction of each write.
 *
 * <p>Two threads: {@code sluice-leader} does the JDBC work (so, never an event loop), and
 * {@code sluice-leader-watch} demotes on time even while a renewal hangs. {@link #close} demotes,
 * waits for {@code onDemoted} to return, then releases the lease so another server takes over
 * within its next {@code acquireEvery} instead of after the ttl.
 */
public final class LeaderElection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    /** What a server does when it becomes leader and when it stops being one. */
    public interface Listener {
        /** This server is leader under {@code epoch} from now until {@link #onDemoted}. */
        void onElected(long epoch);

        /** This server is no longer leader: stop scheduling; its fenced writes are refused already. */
        void onDemoted();
    }

    /**
     * How often to try and renew, how long a lease lasts, and how long before its end (by the last
     * renewal sent) a leader stops acting as one.
     */
    public record Timings(Duration acquireEvery, Duration renewEvery, Duration ttl, Duration margin) {

        /** Try every second, renew every 2 s for 10 s, stop leading 2 s before the lease could run out. */
        public static final Timings DEFAULT = new Timings(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(10), Duration.ofSeconds(2));

        public Timings {
            for (Duration d : new Duration[] {acquireEvery, renewEvery, ttl, margin}) {
                if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("timings are positive");
            }
            if (renewEvery.compareTo(ttl.minus(margin)) >= 0) {
                throw new IllegalArgumentException("renew (every " + renewEvery + ") well within ttl - margin ("
                        + ttl.minus(margin) + ")");
            }
        }
    }

    private final LeaderLease lease;
    private final String holder;
    private final String url;
    private final Listener listener;
    private final Timings timings;
    private final LongSupplier nanoTime;
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(daemon("sluice-leader-events"));
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(daemon("sluice-leader-watch"));

    private final Object lock = new Object();
    // guarded by lock
    private long epoch = -1; // -1: follower
    private long deadline; // nanoTime at which a leader stops leading unless renewed
    private ScheduledFuture<?> watchdog;
    private boolean closed;
    private Thread thread;

    /** With {@link Timings#DEFAULT} and the system's monotonic clock. */
    public LeaderElection(LeaderLease lease, String holder, String url, Listener listener) {
        this(lease, holder, url, listener, Timings.DEFAULT, System::nanoTime);
    }

    /**
     * @param holder   this server's owner string ({@code Owner.self("server").toString()})
     * @param url      its API URL, published for followers (may be null)
     * @param nanoTime the monotonic clock the self-fencing deadline is kept on (tests move it)
     */
    public LeaderElection(LeaderLease lease, String holder, String url, Listener listener, Timings timings,
            LongSupplier nanoTime) {
        this.lease = Objects.requireNonNull(lease, "lease");
        this.holder = Objects.requireNonNull(holder, "holder");
        this.url = url;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.timings = Objects.requireNonNull(timings, "timings");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Starts trying to become leader (the first try is at once). */
    public void start() {
        synchronized (lock) {
            if (thread != null || closed) throw new IllegalStateException("already started");
            thread = daemon("sluice-leader").newThread(this::loop);
            thread.start();
        }
    }

    /** The epoch this server leads under now; empty for a follower, or a leader past its deadline. */
    public OptionalLong epoch() {
        synchronized (lock) {
            if (epoch >= 0 && nanoTime.getAsLong() - deadline >= 0) demote("no renewal succeeded within ttl - margin");
            return epoch < 0 ? OptionalLong.empty() : OptionalLong.of(epoch);
        }
    }

    public boolean leader() {
        return epoch().isPresent();
    }

    /** The fence for this server's store: its lease, holder and current {@link #epoch()}. */
    public Fence fence() {
        return () -> {
            OptionalLong e = epoch();
            return e.isEmpty() ? Optional.empty() : Optional.of(new Fence.Token(lease.name(), holder, e.getAsLong()));
        };
    }

    public String holder() {
        return holder;
    }

    private void loop() {
        while (true) {
            long held;
            synchronized (lock) {
                if (closed) return;
                held = epoch;
            }
            boolean ok = held < 0 ? acquire() : renew(held);
            Duration pause = held >= 0 && ok ? timings.renewEvery() : timings.acquireEvery();
            if (!pause(pause)) return;
        }
    }

    /** @return whether the lease was taken */
    private boolean acquire() {
        long sent = nanoTime.getAsLong();
        Optional<Long> got;
        try {
            got = lease.tryAcquire(holder, url, timings.ttl());
            if (got.isEmpty() && releaseDeadHolder()) got = lease.tryAcquire(holder, url, timings.ttl());
        } catch (StoreException e) {
            log.debug("cannot try the lease {}: {}", lease.name(), e.getMessage());
            return false;
        }
        if (got.isEmpty()) return false;
        long e = got.get();
        synchronized (lock) {
            if (!closed) {
                epoch = e;
                log.info("elected leader ({} epoch {})", lease.name(), e);
                extend(sent);
                callbacks.execute(() -> call("onElected", () -> listener.onElected(e)));
                return true;
            }
        }
        releaseQuietly(e); // closed while acquiring
        return false;
    }

    /**
     * A holder on this machine whose process is gone (e.g. {@code kill -9} of the previous server
     * here) cannot write any more: its lease is released instead of waiting out the ttl. A holder on
     * another machine always gets its ttl.
     *
     * @return whether a dead holder's lease was released
     */
    private boolean releaseDeadHolder() {
        Optional<LeaseInfo> current = lease.current();
        if (current.isEmpty()) return false;
        Optional<Owner> other = Owner.parse(current.get().holder());
        boolean dead = other.filter(o -> o.host().equals(Owner.self("server").host()) && o.startMillis() > 0)
                .map(o -> !o.alive(null, Instant.now())).orElse(false);
        if (!dead || !lease.release(current.get().holder(), current.get().epoch())) return false;
        log.info("released the lease {} of {}: that process is gone", lease.name(), current.get().holder());
        return true;
    }

    /** @return whether the renewal reached the database (whatever it answered) */
    private boolean renew(long held) {
        long sent = nanoTime.getAsLong();
        boolean renewed;
        try {
            renewed = lease.renew(holder, held, timings.ttl());
        } catch (StoreException e) {
            // tried again after acquireEvery; the watchdog demotes when the deadline comes first
            log.warn("cannot renew the lease {} (epoch {}): {}", lease.name(), held, e.getMessage());
            return false;
        }
        synchronized (lock) {
            if (epoch != held) return true; // demoted meanwhile (or closing): nothing to extend
            if (!renewed) demote("the lease was taken over or released");
            else if (nanoTime.getAsLong() - deadline >= 0) demote("the renewal came back too late");
            else extend(sent);
        }
        return true;
    }

    /** Moves the deadline to {@code ttl - margin} after {@code sent} and arms the watchdog for it. */
    private void extend(long sent) {
        deadline = sent + timings.ttl().minus(timings.margin()).toNanos();
        arm(epoch);
    }

    private void arm(long term) {
        if (watchdog != null) watchdog.cancel(false);
        long delay = Math.max(0, deadline - nanoTime.getAsLong());
        watchdog = watch.schedule(() -> watch(term), delay, TimeUnit.NANOSECONDS);
    }

    private void watch(long term) {
        synchronized (lock) {
            if (epoch != term || closed) return;
            if (nanoTime.getAsLong() - deadline >= 0) demote("no renewal succeeded within ttl - margin");
            else arm(term); // the clock (a test's) is behind the timer
        }
    }

    private void demote(String why) {
        if (closed) log.info("no longer leader ({} epoch {}): {}", lease.name(), epoch, why); // a stop asked for
        else log.warn("no longer leader ({} epoch {}): {}", lease.name(), epoch, why);
        epoch = -1;
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
        callbacks.execute(() -> call("onDemoted", listener::onDemoted));
    }

    private void call(String what, Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.error("leader election: {} failed: {}", what, e.toString(), e);
        }
    }

    /** @return false when closed meanwhile */
    private boolean pause(Duration pause) {
        long end = System.nanoTime() + pause.toNanos();
        synchronized (lock) {
            try {
                for (long left = pause.toNanos(); !closed && left > 0; left = end - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
            } catch (InterruptedException e) {
                return false;
            }
            return !closed;
        }
    }

    private void releaseQuietly(long e) {
        try {
            if (lease.release(holder, e)) log.info("released the lease {} (epoch {})", lease.name(), e);
        } catch (StoreException ex) {
            log.warn("cannot release the lease {}: {} (it expires by itself)", lease.name(), ex.getMessage());
        }
    }

    /**
     * Stops: a leader is demoted ({@code onDemoted} has returned when this does), then releases the
     * lease so another server can take over at once. Waits up to the ttl for a database call in
     * progress.
     */
    @Override
    public void close() {
        long held;
        Thread t;
        synchronized (lock) {
            if (closed) return;
            closed = true;
            lock.notifyAll();
            t = thread;
            held = epoch;
            if (held >= 0) demote("closing");
        }
        try {
            if (t != null && t != Thread.currentThread()) t.join(timings.ttl().toMillis());
            callbacks.shutdown();
            if (!callbacks.awaitTermination(30, TimeUnit.SECONDS)) log.warn("onDemoted has not returned after 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watch.shutdownNow();
        if (held >= 0) releaseQuietly(held);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
