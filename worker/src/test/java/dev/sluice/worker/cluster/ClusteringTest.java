package dev.sluice.worker.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two clustered Vert.x instances in one JVM, on loopback, with the hardened configuration. */
class ClusteringTest {

    private final List<Vertx> started = new ArrayList<>();

    @AfterEach
    void close() {
        for (Vertx v : started) {
            try {
                v.close().await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.out.println("close: " + e);
            }
        }
    }

    @Test
    void requestCrossesTheClusterAndALostMemberIsNoticedQuickly() throws Exception {
        Vertx engine = start(new ClusterOptions("sluice-test", "127.0.0.1", 0, List.of(), false, Optional.empty()));
        Address engineAddress = Clustering.hazelcast(engine).orElseThrow().getCluster().getLocalMember().getAddress();
        Vertx worker = start(new ClusterOptions("sluice-test", "127.0.0.1", 0,
                List.of(engineAddress.getHost() + ":" + engineAddress.getPort()), true, Optional.empty()));

        engine.eventBus().<JsonObject>consumer("sluice.test.echo", (Message<JsonObject> m) -> m.reply(m.body().copy().put("echoed", true)))
                .completion().await(10, TimeUnit.SECONDS);
        JsonObject reply = worker.eventBus().<JsonObject>request("sluice.test.echo", new JsonObject().put("n", 1))
                .await(10, TimeUnit.SECONDS).body();
        assertThat(reply).isEqualTo(new JsonObject().put("n", 1).put("echoed", true));

        HazelcastInstance engineHz = Clustering.hazelcast(engine).orElseThrow();
        HazelcastInstance workerHz = Clustering.hazelcast(worker).orElseThrow();
        assertThat(engineHz.getCluster().getMembers()).hasSize(2);
        assertThat(workerHz.getCluster().getLocalMember().isLiteMember()).isTrue();

        CompletableFuture<Long> removedAt = new CompletableFuture<>();
        engineHz.getCluster().addMembershipListener(new MembershipListener() {
            @Override public void memberAdded(MembershipEvent e) {}
            @Override public void memberRemoved(MembershipEvent e) { removedAt.complete(System.nanoTime()); }
        });
        long killedAt = System.nanoTime();
        workerHz.getLifecycleService().terminate(); // no goodbye: as close to kill -9 as one JVM gets
        long nanos = removedAt.get(30, TimeUnit.SECONDS) - killedAt;
        System.out.println("member loss noticed after " + Duration.ofNanos(nanos).toMillis() + " ms");
        assertThat(engineHz.getCluster().getMembers()).hasSize(1);
    }

    @Test
    void refusesToJavaDeserializeClassesOutsideTheWhitelist() throws Exception {
        Vertx one = start(new ClusterOptions("sluice-test-filter", "127.0.0.1", 0, List.of(), false, Optional.empty()));
        var map = Clustering.hazelcast(one).orElseThrow().<String, Object>getMap("sluice.test.filter");
        map.put("allowed", new ArrayList<>(List.of("a", 1L)));
        map.put("refused", new Gadget("x"));
        // members send each other exceptions this way (an operation's error response): their stack traces must pass
        map.put("error", new IllegalStateException("member list changed", new RuntimeException("cause")));

        assertThat(map.get("allowed")).isEqualTo(List.of("a", 1L));
        assertThat((Throwable) map.get("error")).hasMessage("member list changed").hasCauseInstanceOf(RuntimeException.class)
                .satisfies(e -> assertThat(e.getStackTrace()).isNotEmpty());
        assertThatThrownBy(() -> map.get("refused")).hasStackTraceContaining("is not allowed");
    }

    private Vertx start(ClusterOptions options) throws Exception {
        Vertx vertx = Clustering.start(options).await(60, TimeUnit.SECONDS);
        started.add(vertx);
        return vertx;
    }

    record Gadget(String payload) implements Serializable {}
}
