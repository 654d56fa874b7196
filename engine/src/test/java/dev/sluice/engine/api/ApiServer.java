package dev.sluice.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.engine.cluster.ClusterInfo;
import dev.sluice.engine.cluster.Member;
import dev.sluice.engine.expr.Expressions;
import dev.sluice.engine.metrics.EngineMetrics;
import dev.sluice.engine.scheduler.LocalDispatcher;
import dev.sluice.engine.scheduler.Owner;
import dev.sluice.engine.scheduler.RunListener;
import dev.sluice.engine.scheduler.Scheduler;
import dev.sluice.engine.server.PipelineFolder;
import dev.sluice.engine.server.Server;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import dev.sluice.worker.artifact.ArtifactStore;
import dev.sluice.worker.artifact.ContentStore;
import dev.sluice.worker.exec.LocalExecutor;
import dev.sluice.worker.protocol.TaskRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A real server on a free port, over a temporary data dir and a pipelines folder holding the
 * fixtures of {@code pipelines/}, with metrics and optionally a token, and a client for it. Public
 * for the browser tests, which start it over their own fixtures.
 */
public final class ApiServer implements AutoCloseable {

    /** The token a worker would get to upload outputs and fetch inputs. */
    public static final String UPLOAD_TOKEN = "worker-upload-token";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    final Path dataDir;
    final Path pipelinesDir;
    final Store store;
    final ArtifactStore artifacts;
    private final LocalExecutor executor;
    private final Scheduler scheduler;
    final EngineMetrics metrics = new EngineMetrics(Clock.systemUTC());
    private final Server server;
    final int port;
    private final RunSignals signals = new RunSignals();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ApiServer(Path root) {
        this(root, null);
    }

    /** @param token the token the API needs; null for none */
    ApiServer(Path root, String token) {
        this(root, token, fixture("pipelines"));
    }

    /**
     * @param token the token the API needs; null for none
     * @param fixtures a folder of pipeline files, copied into the server's pipelines folder
     */
    public ApiServer(Path root, String token, Path fixtures) {
        this(root, token, fixtures, ContentStore::new);
    }

    /** @param artifacts makes the artifact store from the folder it would be in */
    public ApiServer(Path root, String token, Path fixtures, Function<Path, ArtifactStore> artifacts) {
        dataDir = root.resolve("data");
        pipelinesDir = root.resolve("pipelines");
        copyFixtures(fixtures, pipelinesDir);
        store = Stores.open(null, dataDir);
        PipelineFolder.load(store, pipelinesDir);
        this.artifacts = artifacts.apply(dataDir.resolve("artifacts"));
        Owner owner = Owner.self("server");
        executor = new LocalExecutor(this.artifacts, dataDir.resolve("work"), "local@test", Duration.ofSeconds(1));
        scheduler = new Scheduler(store, new LocalDispatcher(executor, "local@test", 4, Set.of()), this.artifacts,
                new Expressions(), Clock.systemUTC(), owner.toString(), TaskRequest.DEFAULT_MAX_LOG_BYTES, RunListener.all(signals, metrics));
        ApiContext api = new ApiContext(store, scheduler, this.artifacts, pipelinesDir.toAbsolutePath(), Clock.systemUTC(), owner.toString(),
                signals).withToken(Optional.ofNullable(token)).withMetrics(metrics).withCluster(new ClusterInfo() {
                    @Override
                    public List<Member> members() {
                        return List.of();
                    }

                    @Override
                    public boolean clustered() {
                        return true;
                    }

                    @Override
                    public String uploadToken() {
                        return UPLOAD_TOKEN;
                    }
                });
        server = new Server(api, "127.0.0.1", 0, dataDir.resolve("tmp/vertx"));
        port = server.start();
    }

    private static void copyFixtures(Path from, Path to) {
        try {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path fixture(String name) {
        return resource(ApiServer.class, name);
    }

    /** A test resource beside a class, as a path. */
    public static Path resource(Class<?> owner, String name) {
        try {
            return Path.of(owner.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(String fixture) {
        try {
            return Files.readString(fixture(fixture));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The routes the server declares, as {@code "GET /api/runs/{id}"}. */
    List<String> routes() {
        return server.routes();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    }

    /** The server's pipelines folder (a copy of the fixtures). */
    public Path pipelinesDir() {
        return pipelinesDir;
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    public HttpResponse<String> put(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    public HttpResponse<String> post(String path, String contentType, String body) {
        HttpRequest.Builder b = request(path);
        // as the CLI and the designer do: a body-less state change says it comes from a Sluice client
        if (contentType != null) b.header("Content-Type", contentType);
        else b.header("X-Sluice-Request", "1");
        return send(b.POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> delete(String path) {
        return send(request(path).header("X-Sluice-Request", "1").DELETE());
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<InputStream> stream(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private dev.sluice.engine.trigger.EventTriggers events; // made by the first fireEvents()

    /**
     * Handles the run ends and alias moves pending in the store now, as the leading server's event
     * service does on its own thread: fires alerts, starts triggered runs. Returns how many runs it started.
     */
    public synchronized int fireEvents() {
        if (events == null) {
            events = new dev.sluice.engine.trigger.EventTriggers(store, dev.sluice.engine.trigger.CronService.RunStarter.of(scheduler),
                    pipelinesDir.toAbsolutePath(), Clock.systemUTC(), "server", new Expressions(), a -> { });
        }
        return events.poll().size();
    }

    /** Starts a run (params as a JSON body, or none) and returns its id; anything but 201 fails the test. */
    public String trigger(String pipeline, String body) {
        HttpResponse<String> r = post("/api/pipelines/" + pipeline + "/runs", body == null ? null : "application/json", body);
        org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = json(r).get("id").asText();
        org.assertj.core.api.Assertions.assertThat(r.headers().firstValue("Location")).contains("/api/runs/" + id);
        return id;
    }

    /** Waits (30 s at most) for a run to reach a status, and returns its report. */
    JsonNode awaitStatus(String runId, String status) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> json(get("/api/runs/" + runId)).get("status").asText().equals(status));
        return json(get("/api/runs/" + runId));
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    @Override
    public void close() {
        server.close();
        scheduler.close();
        executor.close();
        store.close();
        metrics.close();
        artifacts.close();
    }
}
