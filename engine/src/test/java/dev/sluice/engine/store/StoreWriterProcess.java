package dev.sluice.engine.store;

import static dev.sluice.engine.store.StoreFixtures.at;
import static dev.sluice.engine.store.StoreFixtures.file;
import static dev.sluice.engine.store.StoreFixtures.finish;
import static dev.sluice.engine.store.StoreFixtures.run;
import static dev.sluice.engine.store.StoreFixtures.runState;
import static dev.sluice.engine.store.StoreFixtures.start;
import static dev.sluice.engine.store.StoreFixtures.taskState;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.store.Change.AppendLog;
import dev.sluice.engine.store.Change.CreateRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * A child process for the multi-process tests: opens the embedded store on a folder and commits
 * numbered batches until killed, printing {@code ACK n} only after {@code commit()} returned.
 * Exits when its standard input closes, so it never outlives the test that started it.
 *
 * <p>Arguments: the data folder, and optionally the H2 URL settings to use instead of the store's
 * own (e.g. {@code ";AUTO_SERVER=TRUE"} to see H2's default write delay lose acknowledged commits).
 */
public final class StoreWriterProcess {

    static final int TASKS = 3;

    private StoreWriterProcess() {}

    public static void main(String[] args) {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        exitWhenParentGoes(System.in);
        Path dir = Path.of(args[0]);
        try (Store store = args.length > 1
                ? Stores.openJdbc("jdbc:h2:file:" + dir.toAbsolutePath().resolve(Stores.H2_FILE) + args[1], "sa",
                        "", Clock.systemUTC())
                : Stores.open(null, dir)) {
            int n = lastBatch(store) + 1;
            System.out.println("READY " + n);
            System.out.flush();
            for (; ; n++) {
                store.commit(batch(n));
                System.out.println("ACK " + n);
                System.out.flush();
            }
        }
    }

    static String runId(int n) {
        return String.format("b-%07d", n);
    }

    /** The highest batch number in the store, 0 when none. */
    static int lastBatch(Store store) {
        List<String> ids = store.runIdsStartingWith("b-");
        return ids.isEmpty() ? 0 : Integer.parseInt(ids.get(ids.size() - 1).substring(2));
    }

    /** One transaction touching every table, and the previous batch's run (so order matters). */
    static List<Change> batch(int n) {
        String id = runId(n);
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            tasks.add(StoreFixtures.task(id, "t" + i, i));
        }
        List<Change> changes = new ArrayList<>(List.of(
                new CreateRun(run(id, "durability", RunState.QUEUED, at(n)), tasks),
                runState(id, RunState.QUEUED, RunState.RUNNING, at(n)),
                taskState(id, "t0", StepState.PENDING, StepState.QUEUED, at(n)),
                taskState(id, "t0", StepState.QUEUED, StepState.RUNNING, at(n)),
                start(id, "t0", 1, at(n)),
                new AppendLog(id, "t0", 1, "line " + n + "\n"),
                finish(id, "t0", 1, "SUCCEEDED", at(n), List.of(file("t0", "out.txt", "content " + n)),
                        Map.of("n", (double) n), List.of()),
                taskState(id, "t0", StepState.RUNNING, StepState.SUCCEEDED, at(n))));
        if (n > 1) {
            changes.add(taskState(runId(n - 1), "t1", StepState.PENDING, StepState.QUEUED, at(n)));
        }
        return changes;
    }

    /**
     * What is wrong with batch n as stored, or empty when it is whole.
     *
     * @param nextPresent whether batch n + 1 is in the store (it moves this batch's task t1)
     */
    static Optional<String> problemWith(Store store, int n, boolean nextPresent) {
        String id = runId(n);
        List<String> problems = new ArrayList<>();
        if (store.run(id).map(RunRecord::status).orElse(null) != RunState.RUNNING) {
            problems.add("run " + store.run(id).map(RunRecord::status).orElse(null));
        }
        List<TaskRecord> tasks = store.tasks(id);
        if (tasks.size() != TASKS) {
            problems.add(tasks.size() + " tasks");
        } else {
            if (tasks.get(0).status() != StepState.SUCCEEDED) {
                problems.add("t0 " + tasks.get(0).status());
            }
            StepState t1 = nextPresent ? StepState.QUEUED : StepState.PENDING;
            if (tasks.get(1).status() != t1) {
                problems.add("t1 " + tasks.get(1).status() + " (batch " + (n + 1)
                        + (nextPresent ? " present)" : " absent)"));
            }
        }
        List<AttemptRecord> attempts = store.attempts(id);
        if (attempts.size() != 1 || !"SUCCEEDED".equals(attempts.get(0).status())) {
            problems.add("attempts " + attempts);
        }
        if (!store.log(id, "t0", 1).equals("line " + n + "\n")) {
            problems.add("log '" + store.log(id, "t0", 1) + "'");
        }
        if (!List.of(file("t0", "out.txt", "content " + n)).equals(store.outputs(id).get("t0"))) {
            problems.add("outputs " + store.outputs(id));
        }
        if (!Map.of("t0", Map.of("n", (double) n)).equals(store.metrics(id))) {
            problems.add("metrics " + store.metrics(id));
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of("batch " + n + ": " + problems);
    }

    private static void exitWhenParentGoes(InputStream in) {
        Thread watcher = new Thread(() -> {
            try {
                while (in.read() != -1) {
                    // ignore anything sent
                }
            } catch (IOException ignored) {
                // the pipe broke: the parent is gone
            }
            Runtime.getRuntime().halt(3);
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
