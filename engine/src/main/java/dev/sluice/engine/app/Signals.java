package dev.sluice.engine.app;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM while a run is in progress. A JVM shutdown hook would run while the database
 * is already closing (H2 closes itself on exit) and could not record the cancellation, so the
 * signals are handled directly: the first asks the run to cancel and lets the command end
 * normally; a second one exits at once (the next command marks the run interrupted).
 *
 * <p>Steps run in the JVM's process group, so a terminal's Ctrl-C (or a TERM to the whole group)
 * reaches them at the same moment and usually ends them before this handler has run; the executor
 * holds a step ended by such a signal until the cancel asked for here reaches it, so the step is
 * CANCELLED rather than FAILED and retried (see the worker's {@code Attempt}).
 */
final class Signals {
    private Signals() {}

    static void onInterrupt(Runnable cancel, Runnable onSecond) {
        AtomicInteger count = new AtomicInteger();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), sig -> {
                    if (count.incrementAndGet() == 1) cancel.run();
                    else onSecond.run();
                });
            } catch (IllegalArgumentException unsupported) {
                // this platform does not let us handle it: the JVM's default applies
            }
        }
    }
}
