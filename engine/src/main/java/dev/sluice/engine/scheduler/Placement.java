package dev.sluice.engine.scheduler;

import java.util.List;

/**
 * Where an attempt goes: a worker's name, or why it must wait.
 *
 * @param worker     the worker whose slot was taken; {@code null} when none
 * @param waitReason why no slot was taken ({@code null} when placed): no live worker carries the
 *                   labels, or all such workers are busy
 */
public record Placement(String worker, String waitReason) {

    /** The reason of a step whose labels no live worker carries. */
    public static String noWorker(List<String> labels) {
        return "no worker with labels " + labels;
    }

    public static Placement on(String worker) {
        return new Placement(worker, null);
    }

    public static Placement waiting(String reason) {
        return new Placement(null, reason);
    }

    public boolean placed() {
        return worker != null;
    }
}
