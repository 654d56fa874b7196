package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.engine.api.ApiContext;
import dev.sluice.engine.api.RunSignals;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.scheduler.NewRun;
import dev.sluice.engine.scheduler.Owner;
import dev.sluice.engine.scheduler.RunControl;
import dev.sluice.engine.scheduler.RunListener;
import dev.sluice.engine.server.Server;
import dev.sluice.engine.store.Fence;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import dev.sluice.worker.artifact.ContentStore;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that is not the leader hands cancels and retries to the leader and says so when no
 * leader takes them: the API answers 503 {@code no-leader} instead of a 202 for an ask that was
 * dropped.
 */
class FollowerHandOnTest {

    private static final String PIPELINE = "name: p\nsteps:\n  - id: a\n    run: \"true\"\n";

    @TempDir
    Path dir;

    private Store store;
    private ServerNode follower;
    private Server server;
    private String runId;
    private String base;

    @BeforeEach
    void start() {
        store = Stores.open(null, dir.resolve("data"));
        ContentStore artifacts = new ContentStore(dir.resolve("data/artifacts"));
        Owner owner = Owner.self("server");
        follower = new ServerNode(store, Fence.of("scheduler", owner.toString(), 1), artifacts, dir, Clock.systemUTC(), owner,
                RunListener.NONE, null, Optional.empty());
        ApiContext api = new ApiContext(store, follower, artifacts, dir, Clock.systemUTC(), owner.toString(), new RunSignals())
                .withCluster(follower);
        server = new Server(api, "127.0.0.1", 0, dir.resolve("data/tmp/vertx"));
        int port = server.start();
        follower.attach(server.vertx(), false, "http://127.0.0.1:" + port, "follower");

        // a run the leader (another server) has
        PipelineVersion version = store.savePipeline("p", PIPELINE);
        Instant now = Instant.now();
        runId = NewRun.newId(now);
        store.commit(List.of(NewRun.create(runId, version, Planner.plan(PipelineLoader.parse("p.yaml", PIPELINE, dir).pipeline()),
                Map.of(), "api", now, now, "server:leader-host:1:1")));
        base = "http://127.0.0.1:" + port + "/api/runs/" + runId;
    }

    @AfterEach
    void stop() {
        follower.close();
        server.close();
        store.close();
    }

    @Test
    void answers503WhenNoLeaderTakesACancelAndNothingIsDone() throws Exception {
        HttpResponse<String> response = post(base + "/cancel");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode error = new ObjectMapper().readTree(response.body());
        assertThat(error.get("error").asText()).isEqualTo("no-leader");
        assertThat(error.get("message").asText()).contains("no leader took the cancel").contains("try again");
        assertThat(store.run(runId).orElseThrow().status().name()).isEqualTo("QUEUED");
    }

    @Test
    void answers202OnceTheLeaderTookTheCancel() throws Exception {
        List<JsonObject> asked = new CopyOnWriteArrayList<>();
        server.vertx().eventBus().<JsonObject>consumer(ServerNode.CONTROL, m -> {
            asked.add(m.body());
            m.reply(new JsonObject().put("ok", true));
        }).completion().toCompletionStage().toCompletableFuture().join();

        assertThat(post(base + "/cancel").statusCode()).isEqualTo(202);
        assertThat(asked).containsExactly(new JsonObject().put("op", "cancel").put("runId", runId));
    }

    @Test
    void saysWhyWhenTheLeaderRefuses() {
        server.vertx().eventBus().<JsonObject>consumer(ServerNode.CONTROL, m -> m.fail(409, "not the leader any more"))
                .completion().toCompletionStage().toCompletableFuture().join();

        assertThatThrownBy(() -> follower.cancel(runId))
                .isInstanceOf(RunControl.Unreachable.class)
                .hasMessageContaining("the leader did not take the cancel: not the leader any more");
    }

    private static HttpResponse<String> post(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("X-Sluice-Request", "1").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
