package dev.sluice.worker.protocol;

/** Receives an attempt's log lines as they are printed; called from the worker's pump threads. */
@FunctionalInterface
public interface LogSink {
    void accept(AttemptKey key, LogLine line);
}
