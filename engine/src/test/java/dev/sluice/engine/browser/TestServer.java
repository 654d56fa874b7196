package dev.sluice.engine.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.engine.api.ApiContext;
import dev.sluice.engine.api.RunSignals;
import dev.sluice.engine.expr.Expressions;
import dev.sluice.engine.scheduler.LocalDispatcher;
import dev.sluice.engine.scheduler.Owner;
import dev.sluice.engine.scheduler.RunListener;
import dev.sluice.engine.scheduler.Scheduler;
import dev.sluice.engine.server.PipelineFolder;
import dev.sluice.engine.server.Server;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import dev.sluice.worker.artifact.ContentStore;
import dev.sluice.worker.exec.LocalExecutor;
import dev.sluice.worker.protocol.TaskRequest;
import java.io.IOException;
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
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A real server on a free port for the browser tests: a temporary data dir, the pipelines of
 * {@code src/test/resources/dev/sluice/engine/browser/pipelines/}, the embedded worker; and a small
 * API client to set the scene (save a pipeline, start a run, wait for it).
 */
final class TestServer implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Store store;
    private final LocalExecutor executor;
    private final Scheduler scheduler;
    private final Server server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final int port;

    TestServer(Path root) {
        this(root, null);
    }

    /** @param token the token the API needs; null for none */
    TestServer(Path root, String token) {
        Path dataDir = root.resolve("data");
        Path pipelines = root.resolve("pipelines");
        copyFixtures(pipelines);
        store = Stores.open(null, dataDir);
        PipelineFolder.load(store, pipelines);
        ContentStore artifacts = new ContentStore(dataDir.resolve("artifacts"));
        Owner owner = Owner.self("server");
        RunSignals signals = new RunSignals();
        executor = new LocalExecutor(artifacts, dataDir.resolve("work"), "local@test", Duration.ofSeconds(1));
        scheduler = new Scheduler(store, new LocalDispatcher(executor, "local@test", 4, Set.of()), artifacts,
                new Expressions(), Clock.systemUTC(), owner.toString(), TaskRequest.DEFAULT_MAX_LOG_BYTES, RunListener.all(signals));
        ApiContext api = new ApiContext(store, scheduler, artifacts, pipelines.toAbsolutePath(), Clock.systemUTC(),
                owner.toString(), signals).withToken(Optional.ofNullable(token));
        server = new Server(api, "127.0.0.1", 0, dataDir.resolve("tmp/vertx"));
        port = server.start();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    private static void copyFixtures(Path to) {
        try {
            Files.createDirectories(to);
            Path from = Path.of(TestServer.class.getResource("pipelines").toURI());
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Saves a pipeline text through the API. */
    void save(String name, String yaml) {
        HttpResponse<String> r = send(request("/api/pipelines/" + name).header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(yaml)));
        if (r.statusCode() >= 300) throw new AssertionError("saving " + name + ": " + r.statusCode() + " " + r.body());
    }

    /** Starts a run (params as JSON, or null) and returns its id. */
    String trigger(String pipeline, String paramsJson) {
        HttpRequest.Builder b = request("/api/pipelines/" + pipeline + "/runs");
        if (paramsJson != null) b.header("Content-Type", "application/json");
        HttpResponse<String> r = send(b.POST(paramsJson == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString("{\"params\":" + paramsJson + "}")));
        if (r.statusCode() != 201) throw new AssertionError("trigger " + pipeline + ": " + r.statusCode() + " " + r.body());
        return json(r.body()).get("id").asText();
    }

    /** Waits (30 s at most) for a run to end, and returns it. */
    JsonNode awaitEnd(String runId) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            String status = run(runId).get("status").asText();
            return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED");
        });
        return run(runId);
    }

    JsonNode run(String runId) {
        return json(send(request("/api/runs/" + runId).GET()).body());
    }

    JsonNode get(String path) {
        return json(send(request(path).GET()).body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    @Override
    public void close() {
        server.close();
        scheduler.close();
        executor.close();
        store.close();
    }
}
