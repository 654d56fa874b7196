package dev.sluice.worker.exec;

import dev.sluice.worker.protocol.TaskResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The watchdog, a shell process outside the JVM, ends a worker's steps when the lease the JVM
 * renews stops being renewed (here the JVM stays alive but stops renewing, as a frozen one would).
 */
class WatchdogTest extends ExecutorTestBase {

    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final Duration KILL_AFTER = Duration.ofMillis(500);
    private static final String STUBBORN = "echo \"$SLUICE_ATTEMPT_COOKIE\" > cookie; "
            + "setsid sh -c 'trap \"\" TERM; echo $$ > escaped.pid; exec sleep 1000' & "
            + "trap '' TERM; echo $$ > shell.pid; sleep 1000";

    private Watchdog watchdog;
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void startWatchdog() {
        watchdog = Watchdog.start(temp.resolve("watchdog")).orElseThrow();
        executor.close();
        executor = new LocalExecutor(store, workRoot, "test-worker", GRACE, watchdog);
    }

    @AfterEach
    void stopWatchdog() {
        renewer.shutdownNow();
        watchdog.close();
    }

    @Test
    void killsAnAttemptWhoseLeaseStopsBeingRenewed() throws Exception {
        watchdog.hold(System.nanoTime(), LEASE, KILL_AFTER);
        long held = System.nanoTime();
        CompletableFuture<TaskResult> future = start(request(STUBBORN));
        await().until(() -> hasPid("escaped.pid") && hasPid("shell.pid"));
        long escaped = readPid("escaped.pid");
        long shell = readPid("shell.pid");

        // no renewal: TERM at the lease's end (ignored), KILL half a second later, by the watchdog alone
        await().atMost(Duration.ofSeconds(5)).until(() -> !alive(escaped) && !alive(shell));

        assertThat(System.nanoTime() - held).as("not before the lease ran out").isGreaterThanOrEqualTo(LEASE.toNanos());
        assertThat(watchdog.held()).isFalse();
        assertThat(resultOf(future).exitCode()).isNotZero();
        ContainmentTest.assertNoneCarries(Files.readString(workdir.resolve("cookie")).trim());
        // the watchdog writes its line after the kill: the processes may be gone a moment before it
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(Files.readString(temp.resolve("watchdog/watchdog.log"))).contains("KILL sent to"));
    }

    @Test
    void sparesTheStepsOfALeaseThatIsRenewed() throws Exception {
        watchdog.hold(System.nanoTime(), LEASE, KILL_AFTER);
        renewer.scheduleAtFixedRate(() -> watchdog.hold(System.nanoTime(), LEASE, KILL_AFTER), 200, 200, TimeUnit.MILLISECONDS);
        start(request(STUBBORN));
        await().until(() -> hasPid("escaped.pid") && hasPid("shell.pid"));
        long escaped = readPid("escaped.pid");

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> alive(escaped));

        renewer.shutdownNow(); // the JVM stops renewing: now it goes
        await().atMost(Duration.ofSeconds(5)).until(() -> !alive(escaped));
    }

    @Test
    void exitsWhenClosed() {
        long pid = watchdog.pid();
        watchdog.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> !alive(pid));
    }

    private boolean hasPid(String file) throws IOException {
        return Files.exists(workdir.resolve(file)) && !Files.readString(workdir.resolve(file)).isBlank();
    }
}
