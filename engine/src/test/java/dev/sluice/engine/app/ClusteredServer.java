package dev.sluice.engine.app;

import static org.awaitility.Awaitility.await;

import dev.sluice.engine.api.ApiContext;
import dev.sluice.engine.api.RunSignals;
import dev.sluice.engine.leader.LeaderElection;
import dev.sluice.engine.scheduler.Owner;
import dev.sluice.engine.scheduler.RunListener;
import dev.sluice.engine.server.Server;
import dev.sluice.engine.store.Fence;
import dev.sluice.engine.store.LeaderLease;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import dev.sluice.worker.artifact.ContentStore;
import dev.sluice.worker.cluster.ClusterOptions;
import dev.sluice.worker.cluster.Clustering;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A server in this JVM that leads a cluster of its own on loopback and has no embedded worker, so
 * every step goes to a remote worker (join token {@code s3cret}): what the remote-worker tests run against.
 */
final class ClusteredServer implements AutoCloseable {

    final Store store;
    final ServerNode node;
    final int hazelcastPort;
    private final List<AutoCloseable> closing = new ArrayList<>();

    /** @param cluster a cluster name of the test's own: tests of other JVMs on this machine must not join it */
    ClusteredServer(Path dir, String cluster) throws Exception {
        AtomicReference<LeaderElection> election = new AtomicReference<>();
        Fence fence = () -> election.get() == null ? Optional.empty() : election.get().fence().token();
        Path data = dir.resolve("data");
        store = Stores.open(null, data);
        closing.add(store);
        ContentStore artifacts = new ContentStore(data.resolve("artifacts"));
        Owner owner = Owner.self("server");
        RunSignals signals = new RunSignals();
        node = new ServerNode(store, fence, artifacts, dir, Clock.systemUTC(), owner, RunListener.all(signals), null, Optional.of("s3cret"));
        ApiContext api = new ApiContext(store, node, artifacts, dir, Clock.systemUTC(), owner.toString(), signals).withCluster(node);
        Server server = new Server(api, "127.0.0.1", 0, data.resolve("tmp/vertx"),
                Optional.of(new ClusterOptions(cluster, "127.0.0.1", 0, List.of(), false, Optional.empty())));
        int port = server.start();
        closing.add(server);
        closing.add(node);
        hazelcastPort = Clustering.hazelcast(server.vertx()).orElseThrow().getCluster().getLocalMember().getAddress().getPort();
        String url = "http://127.0.0.1:" + port;
        node.attach(server.vertx(), true, url, "test-server");
        LeaderElection leader = node.election(store.lease(LeaderLease.SCHEDULER), url);
        election.set(leader);
        leader.start();
        closing.add(leader);
        await().atMost(Duration.ofSeconds(10)).until(node::leader);
    }

    @Override
    public void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    }
}
