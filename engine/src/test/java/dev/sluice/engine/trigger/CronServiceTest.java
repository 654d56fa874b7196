package dev.sluice.engine.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.engine.store.RunQuery;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CronServiceTest {

    static final Instant T0 = Instant.parse("2026-01-05T10:00:30Z");

    @TempDir
    Path dataDir;

    final FakeClock clock = new FakeClock(T0);
    final List<RunRecord> started = new CopyOnWriteArrayList<>();
    Store store;
    CronService service;

    @BeforeEach
    void open() {
        store = Stores.open(null, dataDir, clock);
        service = newService();
    }

    @AfterEach
    void close() {
        service.close();
        store.close();
    }

    CronService newService() {
        return new CronService(store, (plan, run, tasks) -> started.add(run), dataDir, clock, "server:test");
    }

    // ---- every minute, pause, delete, a schedule removed

    @Test
    void firesOneRunPerMinuteOfAnEveryMinuteSchedule() {
        save("every", "* * * * *", "UTC", false);

        fireEvery(Duration.ofSeconds(15), T0.plus(Duration.ofMinutes(10)));

        List<Instant> expected = new ArrayList<>();
        for (int m = 1; m <= 10; m++) expected.add(Instant.parse("2026-01-05T10:00:00Z").plus(Duration.ofMinutes(m)));
        assertThat(ticks("every")).containsExactlyElementsOf(expected);
        assertThat(started).extracting(RunRecord::logicalDate).containsExactlyElementsOf(expected);
        RunRecord first = started.get(0);
        assertThat(first.trigger()).isEqualTo("schedule");
        assertThat(first.params()).isEqualTo(Map.of("rows", 5L));
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.owner()).isEqualTo("server:test");
        assertThat(first.createdAt()).isEqualTo(Instant.parse("2026-01-05T10:01:00Z"));
    }

    @Test
    void saysWhenTheNextTickIs() {
        save("hourly", "0 * * * *", "UTC", false);
        save("every", "* * * * *", "UTC", false);
        save("manual", null, null, false);

        assertThat(service.fire(T0).next()).isEqualTo(Instant.parse("2026-01-05T10:01:00Z"));
    }

    @Test
    void aPausedPipelineFiresNothing() {
        save("every", "* * * * *", "UTC", false);
        store.setPaused("every", true);

        CronService.Firing firing = service.fire(T0.plus(Duration.ofMinutes(5)));

        assertThat(firing.created()).isEmpty();
        assertThat(firing.next()).isNull();
        assertThat(started).isEmpty();
    }

    @Test
    void unpausingDoesNotCatchUpThePausedTime() {
        save("hourly", "0 * * * *", "UTC", true);
        at("2026-01-05T11:00:00Z");
        assertThat(service.fire(clock.instant()).created()).hasSize(1);
        at("2026-01-05T11:10:00Z");
        store.setPaused("hourly", true);
        at("2026-01-05T14:30:00Z");
        assertThat(service.fire(clock.instant()).created()).isEmpty();

        store.setPaused("hourly", false);

        assertThat(service.fire(clock.instant()).created()).isEmpty();
        at("2026-01-05T15:00:00Z");
        service.fire(clock.instant());
        assertThat(ticks("hourly")).containsExactly(Instant.parse("2026-01-05T11:00:00Z"), Instant.parse("2026-01-05T15:00:00Z"));
    }

    @Test
    void aDeletedPipelineFiresNothing() {
        save("every", "* * * * *", "UTC", false);
        store.deletePipeline("every");

        assertThat(service.fire(T0.plus(Duration.ofMinutes(5))).created()).isEmpty();
    }

    @Test
    void aPipelineWhoseLatestVersionRemovedItsScheduleStopsFiring() {
        save("every", "* * * * *", "UTC", false);
        at("2026-01-05T10:01:00Z");
        assertThat(service.fire(clock.instant()).created()).hasSize(1);

        save("every", null, null, false);
        at("2026-01-05T10:05:00Z");
        CronService.Firing firing = service.fire(clock.instant());

        assertThat(firing.created()).isEmpty();
        assertThat(firing.next()).isNull();
    }

    @Test
    void aNewCronDoesNotCatchUpTheTicksItWouldHaveHadBeforeItWasSaved() {
        save("job", "0 0 * * *", "UTC", true);
        at("2026-01-05T12:10:00Z");
        save("job", "0 * * * *", "UTC", true);

        at("2026-01-05T12:30:00Z");
        assertThat(service.fire(clock.instant()).created()).isEmpty();
        at("2026-01-05T13:00:00Z");
        service.fire(clock.instant());

        assertThat(ticks("job")).containsExactly(Instant.parse("2026-01-05T13:00:00Z"));
    }

    @Test
    void anEditThatKeepsTheCronKeepsCatchingUp() {
        save("job", "0 * * * *", "UTC", true);
        at("2026-01-05T12:10:00Z");
        save("job", "0 * * * *", "UTC", true, "echo changed");

        at("2026-01-05T12:30:00Z");
        service.fire(clock.instant());

        assertThat(ticks("job")).containsExactly(Instant.parse("2026-01-05T11:00:00Z"), Instant.parse("2026-01-05T12:00:00Z"));
        assertThat(started).extracting(RunRecord::version).containsOnly(2);
    }

    // ---- downtime and restarts

    @Test
    void catchupCreatesOneRunPerMissedTickOldestFirstAfterARestart() {
        save("hourly", "0 * * * *", "UTC", true);
        at("2026-01-05T11:00:00Z");
        service.fire(clock.instant());
        service.close();

        at("2026-01-05T15:30:00Z");
        service = newService();
        List<RunRecord> created = service.fire(clock.instant()).created();

        assertThat(created).extracting(RunRecord::logicalDate).containsExactly(
                Instant.parse("2026-01-05T12:00:00Z"), Instant.parse("2026-01-05T13:00:00Z"),
                Instant.parse("2026-01-05T14:00:00Z"), Instant.parse("2026-01-05T15:00:00Z"));
        assertThat(created).extracting(RunRecord::createdAt).isSortedAccordingTo(Comparator.naturalOrder()).doesNotHaveDuplicates();
    }

    @Test
    void catchupCreatesAtMostTheHundredLatestMissedTicks() {
        save("every", "* * * * *", "UTC", true);

        List<RunRecord> created = service.fire(Instant.parse("2026-01-05T15:00:00Z")).created();

        assertThat(created).hasSize(100);
        assertThat(created.get(0).logicalDate()).isEqualTo(Instant.parse("2026-01-05T13:21:00Z"));
        assertThat(created.get(99).logicalDate()).isEqualTo(Instant.parse("2026-01-05T15:00:00Z"));
    }

    @Test
    void withoutCatchupOnlyTheLatestMissedTickFires() {
        save("hourly", "0 * * * *", "UTC", false);
        at("2026-01-05T11:00:00Z");
        service.fire(clock.instant());

        at("2026-01-05T15:30:00Z");
        newService().fire(clock.instant());

        assertThat(ticks("hourly")).containsExactly(Instant.parse("2026-01-05T11:00:00Z"), Instant.parse("2026-01-05T15:00:00Z"));
    }

    @Test
    void aRestartedServiceDoesNotFireATickAgain() {
        save("every", "* * * * *", "UTC", false);
        at("2026-01-05T10:01:00Z");
        service.fire(clock.instant());

        CronService restarted = newService();
        assertThat(restarted.fire(clock.instant()).created()).isEmpty();
        at("2026-01-05T10:01:40Z");
        assertThat(restarted.fire(clock.instant()).created()).isEmpty();

        assertThat(ticks("every")).hasSize(1);
    }

    @Test
    void twoServicesOnOneStoreFireEachTickOnce() throws Exception {
        save("every", "* * * * *", "UTC", true);
        Instant now = Instant.parse("2026-01-05T12:00:00Z");
        CronService other = newService();
        CyclicBarrier together = new CyclicBarrier(2);

        CompletableFuture<List<RunRecord>> a = CompletableFuture.supplyAsync(() -> awaitThen(together, () -> service.fire(now).created()));
        CompletableFuture<List<RunRecord>> b = CompletableFuture.supplyAsync(() -> awaitThen(together, () -> other.fire(now).created()));

        assertThat(a.get().size() + b.get().size()).isEqualTo(100);
        assertThat(ticks("every")).hasSize(100).doesNotHaveDuplicates();
    }

    // ---- daylight-saving time (Europe/Paris: 2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00)

    @Test
    void aTimeInTheSpringForwardGapFiresOnceAfterTheGap() {
        at("2026-03-28T12:00:00Z");
        save("nightly", "30 2 * * *", "Europe/Paris", false);

        fireEvery(Duration.ofMinutes(10), Instant.parse("2026-03-30T06:00:00Z"));

        assertThat(ticks("nightly")).containsExactly(
                Instant.parse("2026-03-29T01:00:00Z"),  // 03:00 CEST: the first instant after the gap
                Instant.parse("2026-03-30T00:30:00Z")); // 02:30 CEST
    }

    @Test
    void anHourlyScheduleFiresOnceInTheRepeatedHour() {
        at("2026-10-24T12:00:00Z");
        save("nightly", "30 2 * * *", "Europe/Paris", false);

        fireEvery(Duration.ofMinutes(10), Instant.parse("2026-10-25T06:00:00Z"));

        assertThat(ticks("nightly")).containsExactly(Instant.parse("2026-10-25T00:30:00Z")); // 02:30 CEST only
    }

    @Test
    void aScheduleMoreFrequentThanHourlyFollowsRealTimeThroughTheRepeatedHour() {
        at("2026-10-24T23:50:00Z");
        save("often", "*/15 * * * *", "Europe/Paris", false);

        fireEvery(Duration.ofMinutes(5), Instant.parse("2026-10-25T02:10:00Z"));

        List<Instant> expected = new ArrayList<>();
        for (int i = 0; i <= 8; i++) expected.add(Instant.parse("2026-10-25T00:00:00Z").plus(Duration.ofMinutes(15L * i)));
        assertThat(ticks("often")).containsExactlyElementsOf(expected); // 02:00 CEST ... 02:45 CET, 03:00 CET
    }

    // ---- the thread

    @Test
    void theThreadFiresWhenWokenAfterTheClockMoved() {
        save("every", "* * * * *", "UTC", false);
        service.start();

        at("2026-01-05T10:01:00Z");
        service.wake();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ticks("every")).hasSize(1));
    }

    // ---- helpers

    void at(String instant) {
        clock.set(Instant.parse(instant));
    }

    void fireEvery(Duration step, Instant until) {
        for (Instant t = clock.instant(); !t.isAfter(until); t = clock.advance(step)) service.fire(t);
    }

    void save(String name, String cron, String zone, boolean catchup) {
        save(name, cron, zone, catchup, "echo a");
    }

    void save(String name, String cron, String zone, boolean catchup, String command) {
        StringBuilder text = new StringBuilder("name: " + name + "\nparams:\n  rows: 5\n");
        if (cron != null) {
            text.append("schedule:\n  cron: \"").append(cron).append("\"\n  timezone: ").append(zone)
                    .append("\n  catchup: ").append(catchup).append('\n');
        }
        text.append("steps:\n  - id: a\n    run: ").append(command).append('\n');
        store.savePipeline(name, text.toString());
    }

    /** Logical dates of the pipeline's scheduled runs, oldest first. */
    List<Instant> ticks(String pipeline) {
        return store.runs(new RunQuery(pipeline, null, null, 0)).stream()
                .filter(r -> r.trigger().equals("schedule")).map(RunRecord::logicalDate).sorted().toList();
    }

    static <T> T awaitThen(CyclicBarrier barrier, java.util.function.Supplier<T> work) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return work.get();
    }
}
