package dev.sluice.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.worker.artifact.ContentStore;
import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lost worker's attempt ends LOST at the worker's fence, not when it is declared lost: until then
 * its step gets no new attempt (its watchdog may still be killing it), and from the declaration on
 * a result from that worker for it is ignored.
 */
class LostWorkerFenceTest {

    @TempDir
    Path dir;

    private Vertx vertx;
    private ClusterDispatcher dispatcher;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        dispatcher = new ClusterDispatcher(vertx, null, new ContentStore(dir.resolve("artifacts")), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        dispatcher.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aLostWorkersAttemptEndsLostOnlyAtItsFenceAndItsLateResultIsIgnored() {
        dispatcher.registry().register(new RemoteWorker("w1", "gpu-1", Set.of(), 1, "test", Instant.now()));
        AttemptKey key = new AttemptKey("run", "step", 1);
        CompletableFuture<TaskResult> result = dispatcher.dispatch(
                new TaskRequest(key, "true", dir.toString(), Map.of(), List.of(), List.of(), null, 0),
                dispatcher.place(List.of()), (k, line) -> { });
        assertThat(dispatcher.runsOn(key, "w1")).isTrue();

        dispatcher.lost("w1", "gpu-1", System.nanoTime() + Duration.ofSeconds(3).toNanos());

        assertThat(result).as("not before the fence").isNotDone();
        assertThat(dispatcher.runsOn(key, "w1")).isFalse();
        assertThat(dispatcher.result("w1", new TaskResult(key, TaskResult.Outcome.SUCCEEDED, 0, null, Instant.now(), Instant.now(),
                List.of(), Map.of(), "gpu-1"))).as("a result after the declaration is stale").isFalse();
        await().atMost(Duration.ofSeconds(10)).until(result::isDone);
        assertThat(result.join().outcome()).isEqualTo(TaskResult.Outcome.LOST);
    }
}
