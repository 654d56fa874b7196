package dev.sluice.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, fault injection: the embedded database on a small tmpfs that fills up. H2 closes the
 * database when its write fails; once space is freed the same store opens it again by itself, and
 * what was committed before is there. Needs root for the tmpfs (CI runs as root); skipped, by
 * assumption, where {@code mount} is not allowed.
 */
class H2DiskFullTest {

    @Test
    void reopensTheDatabaseByItselfOnceSpaceIsFreed(@TempDir Path root) throws Exception {
        Path data = Files.createDirectories(root.resolve("data"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", data.toString()) == 0,
                "cannot mount a tmpfs here (not root): skipped");
        try (Store store = Stores.open(null, data)) {
            store.savePipeline("before", "name: before\n");
            LeaderLease lease = store.lease(LeaderLease.SCHEDULER); // leases have a pool of their own: both must come back
            long epoch = lease.tryAcquire("me", null, Duration.ofSeconds(30)).orElseThrow();
            Path filler = data.resolve("filler");
            fill(filler);

            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) store.savePipeline("during" + i, "name: during\n# " + "x".repeat(100_000) + "\n");
            }).isInstanceOf(StoreException.class);
            assertThat(store.problem()).isPresent();
            assertThatThrownBy(() -> lease.renew("me", epoch, Duration.ofSeconds(30))).isInstanceOf(StoreException.class);

            Files.delete(filler);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(store.problem()).isEmpty());
            store.savePipeline("after", "name: after\n");
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> lease.renew("me", epoch, Duration.ofSeconds(30)));
            assertThat(store.latestPipeline("before")).isPresent();
            assertThat(store.latestPipeline("after")).isPresent();
        } finally {
            run("umount", "-l", data.toString());
        }
    }

    private static void fill(Path filler) {
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 64; i++) out.write(chunk);
        } catch (IOException full) {
            return;
        }
        throw new AssertionError("64 MiB fit on a 24 MiB tmpfs");
    }

    private static int run(String... command) throws Exception {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
