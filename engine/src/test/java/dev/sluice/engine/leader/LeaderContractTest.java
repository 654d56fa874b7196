package dev.sluice.engine.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.engine.leader.LeaderElection.Timings;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.run.StepState;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.Fence;
import dev.sluice.engine.store.FencedException;
import dev.sluice.engine.store.JdbcStore;
import dev.sluice.engine.store.LeaderLease;
import dev.sluice.engine.store.LeaseInfo;
import dev.sluice.engine.store.RunQuery;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.TaskRecord;
import dev.sluice.engine.trigger.CronService;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The leader lease, its fence and the election on one database shared by several "servers" (each a
 * store with its own pool); run against H2 and PostgreSQL by the subclasses.
 */
abstract class LeaderContractTest {

    /** Short, so that expiry-driven takeovers happen within a test; leaders stop 300 ms before the ttl. */
    static final Timings FAST = new Timings(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(1200),
            Duration.ofMillis(300));
    static final Duration TTL = FAST.ttl();
    static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    @TempDir
    Path baseDir;

    private final List<AutoCloseable> opened = new ArrayList<>();

    /** The JDBC URL of a new, empty database for this test (the same for every call within it). */
    protected abstract String databaseUrl();

    @BeforeAll
    static void quietLibraries() {
        for (String name : new String[] {"com.zaxxer.hikari", "org.flywaydb", "io.zonky", "org.postgresql"}) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN);
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) opened.get(i).close();
    }

    /** A store of one more server on the test's database; {@code fence} null for none. */
    Store store(Fence fence) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(databaseUrl());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        Store store = new JdbcStore(new HikariDataSource(config), Clock.systemUTC());
        opened.add(store);
        return fence == null ? store : store.withFence(fence);
    }

    LeaderLease lease() {
        return store(null).lease(LeaderLease.SCHEDULER);
    }

    Connection raw() throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(databaseUrl());
        config.setMaximumPoolSize(1);
        HikariDataSource pool = new HikariDataSource(config);
        opened.add(pool);
        return pool.getConnection();
    }

    Elector elector(String holder, Timings timings) {
        Elector e = new Elector(lease(), holder, timings, System::nanoTime);
        opened.add(e.election);
        return e;
    }

    // ---- the lease

    @Test
    void aHeldLeaseCannotBeTakenAndSaysWhoHoldsIt() {
        LeaderLease a = lease();
        LeaderLease b = lease();

        Optional<Long> epoch = a.tryAcquire("server:a:1:1", "http://a:8080", Duration.ofMinutes(1));

        assertThat(epoch).contains(1L);
        assertThat(b.tryAcquire("server:b:2:2", "http://b:8080", Duration.ofMinutes(1))).isEmpty();
        LeaseInfo info = b.current().orElseThrow();
        assertThat(info.holder()).isEqualTo("server:a:1:1");
        assertThat(info.epoch()).isEqualTo(1);
        assertThat(info.url()).isEqualTo("http://a:8080");
        assertThat(info.expiresAt()).isAfter(Instant.now().plusSeconds(30)); // one machine: one clock
    }

    @Test
    void anExpiredLeaseGoesToTheNextHolderWithTheNextEpochAndItsOldHolderCannotRenewIt() {
        LeaderLease a = lease();
        LeaderLease b = lease();
        long first = a.tryAcquire("a", null, Duration.ofMillis(200)).orElseThrow();

        await().atMost(Duration.ofSeconds(5)).until(() -> b.current().isEmpty());
        Optional<Long> second = b.tryAcquire("b", null, Duration.ofMinutes(1));

        assertThat(second).contains(first + 1);
        assertThat(a.renew("a", first, Duration.ofMinutes(1))).isFalse();
        assertThat(b.renew("b", first + 1, Duration.ofMinutes(1))).isTrue();
        assertThat(a.current().orElseThrow().holder()).isEqualTo("b");
    }

    @Test
    void releaseFreesTheLeaseAtOnceAndKeepsTheEpochGrowing() {
        LeaderLease a = lease();
        long first = a.tryAcquire("a", null, Duration.ofMinutes(10)).orElseThrow();

        assertThat(a.release("b", first)).as("only the holder releases").isFalse();
        assertThat(a.release("a", first)).isTrue();

        assertThat(a.current()).isEmpty();
        assertThat(lease().tryAcquire("b", null, Duration.ofMinutes(1))).contains(first + 1);
    }

    // ---- the fence

    @Test
    void aCommitUnderAnOldEpochIsRefusedAndLeavesNothingHalfWritten() {
        LeaderLease lease = lease();
        long old = lease.tryAcquire("old", null, Duration.ofMillis(300)).orElseThrow();
        Store oldLeader = store(Fence.of(LeaderLease.SCHEDULER, "old", old));
        oldLeader.commit(List.of(create("r1", "a", "b")));
        await().atMost(Duration.ofSeconds(5)).until(() -> lease.current().isEmpty());
        long now = lease.tryAcquire("new", null, Duration.ofMinutes(1)).orElseThrow();

        Instant at = T0.plusSeconds(1);
        assertThatThrownBy(() -> oldLeader.commit(List.of(
                create("r2", "a"),
                new Change.SetRunState("r1", RunState.QUEUED, RunState.RUNNING, at, null),
                new Change.SetTaskState("r1", "a", StepState.PENDING, StepState.QUEUED, null, at, null, null, null, null, null))))
                .isInstanceOf(FencedException.class)
                .hasMessageContaining("new (epoch " + now + ")");

        Store reader = store(null);
        assertThat(reader.run("r2")).isEmpty();
        assertThat(reader.run("r1").orElseThrow().status()).isEqualTo(RunState.QUEUED);
        assertThat(reader.tasks("r1")).extracting(TaskRecord::status).containsOnly(StepState.PENDING);
        assertThat(reader.events("r1", 0, 100)).hasSize(1);
        Store newLeader = store(Fence.of(LeaderLease.SCHEDULER, "new", now));
        newLeader.commit(List.of(new Change.SetRunState("r1", RunState.QUEUED, RunState.RUNNING, at, null)));
        assertThat(reader.run("r1").orElseThrow().status()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void aFollowersStoreRefusesCommitsAndAnUnfencedStoreIgnoresTheLease() {
        lease().tryAcquire("leader", null, Duration.ofMinutes(1)).orElseThrow();
        Store follower = store(() -> Optional.empty());

        assertThatThrownBy(() -> follower.commit(List.of(create("r1", "a")))).isInstanceOf(FencedException.class);

        store(null).commit(List.of(create("r2", "a"))); // sluice run: no fence
        assertThat(follower.run("r1")).isEmpty();
        assertThat(follower.run("r2")).isPresent();
    }

    @Test
    void aCronTickOfAFencedOldLeaderIsRefusedAndNoTickFiresTwiceAcrossATakeover() {
        LeaderLease lease = lease();
        long old = lease.tryAcquire("old", null, Duration.ofMillis(300)).orElseThrow();
        Store oldStore = store(Fence.of(LeaderLease.SCHEDULER, "old", old));
        String pipeline = "name: every\nschedule:\n  cron: \"* * * * *\"\n  timezone: UTC\nsteps:\n  - id: a\n    run: echo a\n";
        oldStore.savePipeline("every", pipeline);
        Instant created = oldStore.pipelineState("every").orElseThrow().scheduleSince();
        Instant firstTick = created.plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MINUTES);
        CronService oldCron = cron(oldStore);
        assertThat(oldCron.fire(firstTick.plusSeconds(5)).created()).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> lease.current().isEmpty());
        long now = lease.tryAcquire("new", null, Duration.ofMinutes(1)).orElseThrow();
        CronService newCron = cron(store(Fence.of(LeaderLease.SCHEDULER, "new", now)));
        Instant secondTick = firstTick.plus(Duration.ofMinutes(1));

        assertThatThrownBy(() -> oldCron.fire(secondTick.plusSeconds(5))).isInstanceOf(FencedException.class);
        assertThat(newCron.fire(secondTick.plusSeconds(5)).created()).extracting(RunRecord::logicalDate)
                .containsExactly(secondTick);
        assertThat(oldCron.fire(secondTick.plusSeconds(6)).created()).as("nothing due: nothing to refuse").isEmpty();
        assertThat(newCron.fire(secondTick.plusSeconds(7)).created()).isEmpty();
        Instant thirdTick = secondTick.plus(Duration.ofMinutes(1));
        assertThatThrownBy(() -> oldCron.fire(thirdTick.plusSeconds(1))).isInstanceOf(FencedException.class);

        assertThat(oldStore.runs(new RunQuery("every", null, null, 0))).extracting(RunRecord::logicalDate)
                .containsExactlyInAnyOrder(firstTick, secondTick);
    }

    private CronService cron(Store store) {
        CronService service = new CronService(store, (plan, run, tasks) -> {}, baseDir, Clock.systemUTC(), "server:test");
        opened.add(service);
        return service;
    }

    // ---- the election

    @Test
    void twoElectorsOnOneDatabaseElectExactlyOneLeader() {
        Elector a = elector("server:a:1:1", FAST);
        Elector b = elector("server:b:2:2", FAST);
        a.election.start();
        b.election.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> a.leading() || b.leading());
        await().during(TTL.multipliedBy(2)).atMost(Duration.ofSeconds(10))
                .until(() -> a.leading() != b.leading());

        Elector leader = a.leading() ? a : b;
        Elector follower = leader == a ? b : a;
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(leader.events).containsExactly("elected 1"));
        assertThat(follower.events).isEmpty();
        assertThat(lease().current().orElseThrow().holder()).isEqualTo(leader.election.holder());
        Store leaderStore = store(leader.election.fence());
        Store followerStore = store(follower.election.fence());
        leaderStore.commit(List.of(create("r1", "a")));
        assertThatThrownBy(() -> followerStore.commit(List.of(create("r2", "a")))).isInstanceOf(FencedException.class);
    }

    @Test
    void whenTheLeaderStopsRenewingAnotherTakesOverAfterTheTtlWithTheNextEpoch() {
        LeaderLease dead = lease();
        long old = dead.tryAcquire("server:dead:1:1", "http://dead", TTL).orElseThrow(); // then kill -9: no renewals
        Elector b = elector("server:b:2:2", FAST);
        b.election.start();

        await().atMost(Duration.ofSeconds(10)).until(b::leading);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(b.events).containsExactly("elected " + (old + 1)));
        assertThat(b.election.epoch()).hasValue(old + 1);
        assertThat(dead.renew("server:dead:1:1", old, TTL)).as("a frozen leader that wakes up").isFalse();
    }

    @Test
    void aLeaderThatLosesTheLeaseIsDemotedAtItsNextRenewal() throws SQLException {
        Elector a = elector("server:a:1:1", FAST);
        a.election.start();
        await().atMost(Duration.ofSeconds(10)).until(a::leading);

        try (Connection c = raw(); Statement s = c.createStatement()) { // another server took it (say, a clock jump)
            s.executeUpdate("UPDATE leader_lease SET holder = 'server:b:2:2', epoch = epoch + 1 WHERE name = 'scheduler'");
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> a.events.contains("demoted"));
        assertThat(a.events).startsWith("elected 1", "demoted");
        assertThat(a.election.fence().token()).isEmpty();
    }

    @Test
    void closingReleasesTheLeaseSoAnotherTakesOverWithoutWaitingForTheTtl() {
        Timings longLease = new Timings(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMinutes(5),
                Duration.ofSeconds(30));
        Elector a = elector("server:a:1:1", longLease);
        Elector b = elector("server:b:2:2", longLease);
        a.election.start();
        await().atMost(Duration.ofSeconds(10)).until(a::leading);
        b.election.start();

        a.election.close();

        assertThat(a.events).containsExactly("elected 1", "demoted");
        await().atMost(Duration.ofSeconds(10)).until(b::leading); // far less than the 5 minutes of the lease
        // callbacks come on the election's own thread, just after
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(b.events).containsExactly("elected 2"));
    }

    @Test
    void aLeaderStopsLeadingBeforeItsLeaseCanRunOutWhenItsClockSaysSo() {
        AtomicLong ticker = new AtomicLong();
        Elector a = new Elector(lease(), "server:a:1:1", FAST, ticker::get);
        opened.add(a.election);
        a.election.start();
        await().atMost(Duration.ofSeconds(10)).until(a::leading);

        ticker.addAndGet(TTL.minus(FAST.margin()).toNanos()); // no renewal sent since: the deadline is here

        assertThat(a.election.fence().token()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> a.events.contains("demoted"));
    }

    @Test
    void aLeaderWhoseRenewalHangsDemotesItselfAndLeadsAgainWithANewEpochOnceItGoesThrough() throws SQLException {
        Elector a = elector("server:a:1:1", FAST);
        a.election.start();
        await().atMost(Duration.ofSeconds(10)).until(a::leading);

        try (Connection c = raw()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) { // holds the row: renewals wait (or time out)
                s.executeQuery("SELECT epoch FROM leader_lease WHERE name = 'scheduler' FOR UPDATE").close();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> a.events.contains("demoted"));
            assertThat(a.election.fence().token()).isEmpty();
            c.rollback();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> a.events.size() >= 3);
        assertThat(a.events).startsWith("elected 1", "demoted", "elected 2");
    }

    // ---- fixtures

    static Change.CreateRun create(String runId, String... taskIds) {
        RunRecord run = new RunRecord(runId, "churn", 1, RunState.QUEUED, Map.of(), T0, "manual", T0, null, null, null,
                null, null);
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 0; i < taskIds.length; i++) {
            tasks.add(new TaskRecord(runId, taskIds[i], taskIds[i], i, Map.of(), StepState.PENDING, null, 0, 0, false,
                    null, null, null, null));
        }
        return new Change.CreateRun(run, tasks);
    }

    /** An election and what its listener heard, in order. */
    static final class Elector implements LeaderElection.Listener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final LeaderElection election;

        Elector(LeaderLease lease, String holder, Timings timings, LongSupplier nanoTime) {
            election = new LeaderElection(lease, holder, "http://" + holder, this, timings, nanoTime);
        }

        boolean leading() {
            return election.leader();
        }

        @Override
        public void onElected(long epoch) {
            events.add("elected " + epoch);
        }

        @Override
        public void onDemoted() {
            events.add("demoted");
        }
    }
}
