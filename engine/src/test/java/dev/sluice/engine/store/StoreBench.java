package dev.sluice.engine.store;

import static dev.sluice.engine.store.StoreFixtures.at;
import static dev.sluice.engine.store.StoreFixtures.create;
import static dev.sluice.engine.store.StoreFixtures.run;
import static dev.sluice.engine.store.StoreFixtures.start;
import static dev.sluice.engine.store.StoreFixtures.succeed;
import static dev.sluice.engine.store.StoreFixtures.taskState;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.store.Change.AppendLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test: measures opening and committing on the embedded store, one JVM per measurement (a CLI
 * command opens the store once per process). Run from {@code engine/} after {@code mvn test-compile}:
 * <pre>
 *   CP=target/test-classes:target/classes:$(cat cp.txt)
 *   java -cp $CP dev.sluice.engine.store.StoreBench init   /tmp/bench
 *   java -cp $CP dev.sluice.engine.store.StoreBench open   /tmp/bench   # Stores.open on a migrated store
 *   java -cp $CP dev.sluice.engine.store.StoreBench flyway /tmp/bench   # the same with Flyway's migrate()
 *   java -cp $CP dev.sluice.engine.store.StoreBench commit /tmp/bench   # latency of small commits
 *   java -cp $CP dev.sluice.engine.store.StoreBench fenced /tmp/bench   # the same, each checked against the leader lease
 *   java -cp $CP dev.sluice.engine.store.StoreBench compare /tmp/bench  # both in one JVM, in alternating rounds
 *   java -cp $CP dev.sluice.engine.store.StoreBench turns /tmp/bench    # a scheduler turn's commit: chain, fan-out of 2 and 8
 * </pre>
 */
public final class StoreBench {

    private StoreBench() {}

    public static void main(String[] args) {
        QuietLogs.apply();
        Path dir = Path.of(args[1]);
        long t0 = System.nanoTime();
        switch (args[0]) {
            case "init" -> {
                Stores.open(null, dir).close();
                report("create and migrate", t0);
            }
            case "open" -> {
                Store store = Stores.open(null, dir);
                report("open a migrated store", t0);
                long t1 = System.nanoTime();
                store.close();
                report("close", t1);
            }
            case "flyway" -> {
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(Stores.h2Url(dir));
                config.setUsername("sa");
                config.setPassword("");
                try (HikariDataSource ds = new HikariDataSource(config)) {
                    report("pool", t0);
                    long t1 = System.nanoTime();
                    Migrations.flyway(ds).migrate();
                    report("flyway migrate() on a migrated store", t1);
                }
            }
            case "commit" -> commits(dir, null);
            case "fenced" -> {
                long epoch;
                try (Store store = Stores.open(null, dir)) {
                    LeaderLease lease = store.lease(LeaderLease.SCHEDULER);
                    epoch = lease.tryAcquire("bench", null, java.time.Duration.ofHours(1))
                            .orElseGet(() -> lease.current().orElseThrow().epoch());
                }
                commits(dir, Fence.of(LeaderLease.SCHEDULER, "bench", epoch));
            }
            case "compare" -> compare(dir);
            case "turns" -> turns(dir);
            default -> throw new IllegalArgumentException("init | open | flyway | commit | fenced | compare | turns");
        }
    }

    /** One run of 1,000 tasks driven the way a scheduler does: queue, start, finish, a few commits per step. */
    private static void commits(Path dir, Fence fence) {
        try (Store opened = Stores.open(null, dir)) {
            Store store = fence == null ? opened : opened.withFence(fence);
            String runId = "bench-" + System.currentTimeMillis();
            String[] tasks = new String[1000];
            for (int i = 0; i < tasks.length; i++) {
                tasks[i] = "t" + i;
            }
            store.commit(List.of(create(run(runId), tasks)));
            List<Long> nanos = new ArrayList<>();
            for (String task : tasks) {
                nanos.add(time(store, List.of(taskState(runId, task, StepState.PENDING, StepState.QUEUED, at(1)))));
                nanos.add(time(store, List.of(taskState(runId, task, StepState.QUEUED, StepState.RUNNING, at(2)),
                        start(runId, task, 1, at(2)))));
                nanos.add(time(store, List.of(new AppendLog(runId, task, 1, "hello from " + task + "\n"),
                        succeed(runId, task, 1, at(3)),
                        taskState(runId, task, StepState.RUNNING, StepState.SUCCEEDED, at(3)))));
            }
            long[] sorted = nanos.subList(300, nanos.size()).stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("commits: %d, median %.3f ms, p90 %.3f ms, p99 %.3f ms, mean %.3f ms%n", sorted.length,
                    sorted[sorted.length / 2] / 1e6, sorted[sorted.length * 9 / 10] / 1e6,
                    sorted[sorted.length * 99 / 100] / 1e6, Arrays.stream(sorted).average().orElse(0) / 1e6);
        }
    }

    /** Plain and fenced commits of the same kind in alternating rounds, so that a busy machine hurts both alike. */
    private static void compare(Path dir) {
        try (Store plain = Stores.open(null, dir)) {
            LeaderLease lease = plain.lease(LeaderLease.SCHEDULER);
            long epoch = lease.tryAcquire("bench", null, java.time.Duration.ofHours(1))
                    .orElseGet(() -> lease.current().orElseThrow().epoch());
            Store fenced = plain.withFence(Fence.of(LeaderLease.SCHEDULER, "bench", epoch));
            {
                List<Long> plainNanos = new ArrayList<>();
                List<Long> fencedNanos = new ArrayList<>();
                for (int round = 0; round < 16; round++) {
                    boolean f = round % 2 == 1;
                    List<Long> nanos = round < 2 ? new ArrayList<>() : f ? fencedNanos : plainNanos; // rounds 0-1 warm up
                    Store store = f ? fenced : plain;
                    String runId = "cmp-" + System.nanoTime();
                    String[] tasks = new String[100];
                    for (int i = 0; i < tasks.length; i++) {
                        tasks[i] = "t" + i;
                    }
                    store.commit(List.of(create(run(runId), tasks)));
                    for (String task : tasks) {
                        nanos.add(time(store, List.of(taskState(runId, task, StepState.PENDING, StepState.QUEUED, at(1)))));
                        nanos.add(time(store, List.of(taskState(runId, task, StepState.QUEUED, StepState.RUNNING, at(2)),
                                start(runId, task, 1, at(2)))));
                        nanos.add(time(store, List.of(new AppendLog(runId, task, 1, "hello from " + task + "\n"),
                                succeed(runId, task, 1, at(3)),
                                taskState(runId, task, StepState.RUNNING, StepState.SUCCEEDED, at(3)))));
                    }
                }
                print("plain ", plainNanos);
                print("fenced", fencedNanos);
            }
        }
    }

    /**
     * The commit of one scheduler turn, as {@code Scheduler} writes it: {@code width} attempts ended
     * (finished, their tasks SUCCEEDED) and as many next tasks queued, started and RUNNING. Width 1 is
     * a step of a chain; 2 and 8 are fan-out steps ending together on 2 or 8 slots. The statements
     * and rows such a commit costs are the part of a step's time the store decides.
     */
    private static void turns(Path dir) {
        try (Store store = Stores.open(null, dir)) {
            for (int width : new int[] {1, 2, 8}) {
                List<Long> nanos = new ArrayList<>();
                for (int round = 0; round < 4; round++) {
                    String runId = "turns-" + width + "-" + System.nanoTime();
                    String[] tasks = new String[1000];
                    for (int i = 0; i < tasks.length; i++) tasks[i] = "t" + i;
                    store.commit(List.of(create(run(runId), tasks)));
                    List<Change> first = new ArrayList<>();
                    for (int i = 0; i < width; i++) first.addAll(startTurn(runId, tasks[i], at(1)));
                    store.commit(first);
                    for (int i = width; i + width <= tasks.length; i += width) {
                        List<Change> turn = new ArrayList<>();
                        for (int j = i; j < i + width; j++) {
                            turn.add(succeed(runId, tasks[j - width], 1, at(2)));
                            turn.add(taskState(runId, tasks[j - width], StepState.RUNNING, StepState.SUCCEEDED, at(2)));
                        }
                        for (int j = i; j < i + width; j++) turn.addAll(startTurn(runId, tasks[j], at(2)));
                        long t = time(store, turn);
                        if (round > 0) nanos.add(t / width); // round 0 warms up
                    }
                }
                print("width " + width + " per step", nanos);
            }
        }
    }

    private static List<Change> startTurn(String runId, String task, java.time.Instant at) {
        return List.of(taskState(runId, task, StepState.PENDING, StepState.QUEUED, at), start(runId, task, 1, at),
                new Change.SetTaskState(runId, task, StepState.QUEUED, StepState.RUNNING, null, at, 1, null, null, null,
                        null));
    }

    private static void print(String what, List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%s commits: %d, median %.3f ms, p90 %.3f ms, mean %.3f ms%n", what, sorted.length,
                sorted[sorted.length / 2] / 1e6, sorted[sorted.length * 9 / 10] / 1e6,
                Arrays.stream(sorted).average().orElse(0) / 1e6);
    }

    private static long time(Store store, List<Change> changes) {
        long t0 = System.nanoTime();
        store.commit(changes);
        return System.nanoTime() - t0;
    }

    private static void report(String what, long t0) {
        System.out.printf("%s: %d ms%n", what, (System.nanoTime() - t0) / 1_000_000);
    }
}
