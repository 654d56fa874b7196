package dev.sluice.engine.background;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One daemon thread that runs a turn, then sleeps until the turn's answer (how long until the next
 * look is due), a {@link #wake}, or {@link #close}. The cron service, the event triggers and the
 * webhook deliveries each run on one. A turn that throws is the turn's business: it catches and logs
 * what it can recover from and answers the delay before the next try.
 */
public final class WakeableLoop implements AutoCloseable {

    private final String name;
    private final Supplier<Duration> turn;
    private final Duration joinFor;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private boolean wakeRequested;
    private volatile boolean stopped;
    private Thread thread;

    /**
     * @param name    the thread's name
     * @param turn    does one look and returns how long to sleep before the next (zero or less: at once)
     * @param joinFor how long {@link #close} waits for a turn in progress to finish
     */
    public WakeableLoop(String name, Supplier<Duration> turn, Duration joinFor) {
        this.name = Objects.requireNonNull(name, "name");
        this.turn = Objects.requireNonNull(turn, "turn");
        this.joinFor = Objects.requireNonNull(joinFor, "joinFor");
    }

    /** Starts the thread; its first turn runs at once. */
    public void start() {
        lock.lock();
        try {
            if (thread != null) throw new IllegalStateException(name + " already started");
            thread = new Thread(this::loop, name);
            thread.setDaemon(true);
            thread.start();
        } finally {
            lock.unlock();
        }
    }

    /** Runs the next turn now (or right after the one in progress). */
    public void wake() {
        lock.lock();
        try {
            wakeRequested = true;
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (!stopped) {
            long nanos = Math.max(0, turn.get().toNanos());
            lock.lock();
            try {
                while (!stopped && !wakeRequested && nanos > 0) nanos = woken.awaitNanos(nanos);
                wakeRequested = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Stops the thread; a turn in progress finishes first (waited for up to {@code joinFor}). */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            stopped = true;
            woken.signalAll();
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(joinFor.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
