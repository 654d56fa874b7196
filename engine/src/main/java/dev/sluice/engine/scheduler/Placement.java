package dev.sluice.engine.scheduler;

import java.util.List;

/**
 * Where an attempt goes: a worker's name, or why it must wait.
 *
 * @param worker     the id of the worker whose slot was taken; {@code null} when none
 * @param name       that worker's name for people (recorded on the attempt)
 * @param waitReason why no slot was taken ({@code null} when placed): no live worker carries the
 *                   labels, or all such workers are busy
 */
public record Placement(String worker, String name, String waitReason) {

    /** The reason of a step whose labels no live worker carries. */
    public static String noWorker(List<String> labels) {
        return labels.isEmpty() ? "no worker: none has joined and this server runs no steps itself"
                : "no worker with labels " + labels;
    }

    public static Placement on(String worker) {
        return new Placement(worker, worker, null);
    }

    public static Placement on(String worker, String name) {
        return new Placement(worker, name, null);
    }

    public static Placement waiting(String reason) {
        return new Placement(null, null, reason);
    }

    public boolean placed() {
        return worker != null;
    }
}
