package dev.sluice.engine.app;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM while a run is in progress. A JVM shutdown hook would run while the database
 * is already closing (H2 closes itself on exit) and could not record the cancellation, so the
 * signals are handled directly: the first asks the run to cancel and lets the command end
 * normally; a second one exits at once (the next command marks the run interrupted).
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
