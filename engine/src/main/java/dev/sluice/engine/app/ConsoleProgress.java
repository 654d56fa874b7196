package dev.sluice.engine.app;

import dev.sluice.engine.run.StepState;
import dev.sluice.engine.scheduler.RunListener;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.TaskRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Progress of a run on stderr: on a terminal a live bar (steps done of total, the running steps),
 * otherwise one plain line per step that starts or ends.
 */
final class ConsoleProgress implements RunListener {

    private static final long REDRAW_NANOS = 100_000_000;
    private final PrintWriter err;
    private final boolean live;
    private final int total;
    private final Set<String> running = new LinkedHashSet<>();
    private int done;
    private long lastDraw;

    ConsoleProgress(PrintWriter err, boolean live, int total) {
        this.err = err;
        this.live = live;
        this.total = total;
    }

    @Override
    public synchronized void taskChanged(RunRecord run, TaskRecord t) {
        if (t.status() == StepState.RUNNING) running.add(t.taskId());
        else running.remove(t.taskId());
        if (t.status().terminal()) done++;
        if (live) {
            if (t.status() == StepState.FAILED) line(t);
            redraw(false);
        } else if (t.status() == StepState.RUNNING || t.status().terminal()
                || (t.status() == StepState.QUEUED && t.reason() != null)) {
            line(t);
        }
    }

    @Override
    public synchronized void runChanged(RunRecord run) {
        if (run.status().terminal()) {
            if (live) {
                redraw(true);
                err.println();
            }
            err.flush();
        }
    }

    private void line(TaskRecord t) {
        if (live) err.print("\r\033[K");
        String what = switch (t.status()) {
            case RUNNING -> "started" + (t.attempts() > 1 ? " (attempt " + t.attempts() + ")" : "");
            case SUCCEEDED -> "SUCCEEDED" + (t.cached() ? " (cached)" : "") + duration(t);
            case QUEUED -> "will retry: " + t.reason();
            default -> t.status() + (t.reason() == null ? "" : ": " + t.reason()) + duration(t);
        };
        err.printf("%-8s %-28s %s%n", "[" + done + "/" + total + "]", t.taskId(), what);
        err.flush();
    }

    private void redraw(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        int width = 30;
        int filled = total == 0 ? width : (int) ((long) done * width / total);
        StringBuilder names = new StringBuilder();
        for (String id : running) {
            if (names.length() > 60) {
                names.append(", ...");
                break;
            }
            names.append(names.length() == 0 ? "" : ", ").append(id);
        }
        err.print("\r\033[K[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total
                + (running.isEmpty() ? "" : "  running: " + names));
        err.flush();
    }

    private static String duration(TaskRecord t) {
        if (t.startedAt() == null || t.endedAt() == null) return "";
        return " in " + Format.duration(Duration.between(t.startedAt(), t.endedAt()));
    }
}
