package dev.sluice.worker.exec;

/**
 * Whether this worker may run steps now. A remote worker holds a lease from the engine; once it has
 * run out the engine gives the worker's steps to others, so nothing may start here, and a process
 * launched just as it ran out is ended at once. The embedded worker always holds it.
 */
@FunctionalInterface
public interface Lease {

    /** The embedded worker's: always held. */
    Lease ALWAYS = () -> true;

    boolean held();
}
