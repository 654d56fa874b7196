package dev.sluice.engine.server;

import dev.sluice.engine.api.AllowedHosts;
import dev.sluice.engine.api.ApiContext;
import dev.sluice.worker.cluster.ClusterOptions;
import dev.sluice.worker.cluster.Clustering;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Optional;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts Vert.x and the HTTP verticle, and stops them. Closing stops the HTTP side only: the
 * scheduler, store and worker belong to whoever built the {@link ApiContext}.
 */
public final class Server implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 30;

    private final ApiContext api;
    private final String host;
    private final int port;
    private final Path cacheDir;
    private final Optional<ClusterOptions> cluster;
    private final AllowedHosts hosts;
    private Vertx vertx;
    private HttpVerticle verticle;

    /**
     * @param port     0 for any free port ({@link #start} says which)
     * @param cacheDir where Vert.x may unpack the designer's files from the jar
     */
    public Server(ApiContext api, String host, int port, Path cacheDir) {
        this(api, host, port, cacheDir, Optional.empty());
    }

    /** @param cluster the Hazelcast cluster to join (the event bus then reaches workers and other servers) */
    public Server(ApiContext api, String host, int port, Path cacheDir, Optional<ClusterOptions> cluster) {
        this(api, host, port, cacheDir, cluster, AllowedHosts.of(java.util.List.of(host)));
    }

    /** @param hosts the names browsers may reach it by ({@code Host}, {@code Origin}); other names get 421 */
    public Server(ApiContext api, String host, int port, Path cacheDir, Optional<ClusterOptions> cluster, AllowedHosts hosts) {
        this.api = api;
        this.host = host;
        this.port = port;
        this.cacheDir = cacheDir;
        this.cluster = cluster;
        this.hosts = hosts;
    }

    /**
     * @return the port it listens on
     * @throws UncheckedIOException when it cannot listen (the port is taken, the address is not ours)
     */
    public synchronized int start() {
        if (vertx != null) throw new IllegalStateException("already started");
        FileSystemOptions files = new FileSystemOptions().setFileCacheDir(cacheDir.toAbsolutePath().toString());
        verticle = new HttpVerticle(api, host, port, hosts);
        try {
            if (cluster.isEmpty()) {
                vertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(files));
            } else {
                ClusterOptions o = cluster.get();
                vertx = Vertx.builder().with(Clustering.vertxOptions(o).setFileSystemOptions(files))
                        .withClusterManager(new HazelcastClusterManager(Clustering.hazelcastConfig(o)))
                        .buildClustered().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return verticle.actualPort();
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            // asked before close(), which forgets Vert.x: a taken HTTP port is not a failure to join a cluster
            String what = vertx == null ? "cannot join the cluster" : "cannot listen on " + host + ":" + port;
            close();
            throw new UncheckedIOException(what + ": " + cause.getMessage(),
                    new java.io.IOException(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting the server", e);
        }
    }

    /** The started server's Vert.x (clustered when a cluster was given). */
    public synchronized Vertx vertx() {
        if (vertx == null) throw new IllegalStateException("not started");
        return vertx;
    }

    /** Every route of the started server as {@code "METHOD /path/{param}"}, e.g. {@code "GET /api/runs/{id}"}. */
    public synchronized java.util.List<String> routes() {
        if (verticle == null) throw new IllegalStateException("not started");
        return verticle.routes();
    }

    /** Stops listening and closes Vert.x; requests in progress are cut. */
    @Override
    public synchronized void close() {
        if (vertx == null) return;
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            org.slf4j.LoggerFactory.getLogger(Server.class).warn("closing the HTTP server: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            vertx = null;
        }
    }
}
