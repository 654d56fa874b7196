package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code sluice server} processes on one PostgreSQL database and one {@code sluice-worker} form
 * one cluster: one server leads, the worker runs every step (the servers have no embedded worker).
 * A {@code kill -9} of the leader mid-run: the other server takes the lease over, the worker drops
 * the attempt it ran for the dead leader and registers with the new one, and the run finishes.
 */
class LeaderFailoverTest {

    @TempDir
    Path scratch;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final List<Process> servers = new ArrayList<>();
    private EmbeddedPostgres postgres;

    @AfterEach
    void stop() throws Exception {
        for (Process p : servers) p.destroyForcibly().waitFor();
        if (postgres != null) postgres.close();
    }

    @Test
    void theOtherServerAndTheWorkerFinishTheRunOfAKilledLeader() throws Exception {
        try {
            killTheLeaderMidRun();
        } catch (Throwable t) {
            System.out.println(logs()); // what the servers and the worker said, to see why
            throw t;
        }
    }

    private void killTheLeaderMidRun() throws Exception {
        postgres = EmbeddedPostgres.start();
        String db = postgres.getJdbcUrl("postgres", "postgres");
        String cluster = "failover-" + ProcessHandle.current().pid();
        int firstPort = freePort();
        String leader = startServer("a", db, cluster, firstPort, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> isLeader(leader));
        String follower = startServer("b", db, cluster, freePort(), "127.0.0.1:" + firstPort);
        await().atMost(Duration.ofSeconds(30)).until(() -> get(follower + "api/cluster").path("members").size() >= 2);
        assertThat(isLeader(follower)).isFalse();
        startWorker(cluster, firstPort);
        await().atMost(Duration.ofSeconds(30)).until(() -> workers(follower) == 1);

        Path marker = scratch.resolve("middle-started");
        String body = "{\"params\": {\"marker\": " + json.writeValueAsString(marker.toString()) + "}}";
        // started through the follower: it hands the run to the leader
        String runId = json.readTree(send("POST", follower + "api/pipelines/restart/runs", body)).get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(marker));

        servers.get(0).destroyForcibly().waitFor(); // kill -9 of the leader

        await().atMost(Duration.ofSeconds(40)).until(() -> get(follower + "api/runs/" + runId).path("status").asText().equals("SUCCEEDED"));
        assertThat(isLeader(follower)).isTrue();
        JsonNode middle = null;
        for (JsonNode s : get(follower + "api/runs/" + runId).get("steps")) if (s.get("id").asText().equals("middle")) middle = s;
        assertThat(middle.get("attempts")).extracting(a -> a.get("status").asText() + " " + a.get("reason").asText())
                .containsExactly("FAILED engine restart", "SUCCEEDED null");
        assertThat(middle.get("attempts").get(1).get("worker").asText()).isEqualTo("failover-worker");
        assertThat(workers(follower)).isEqualTo(1);
    }

    private String logs() throws Exception {
        StringBuilder all = new StringBuilder();
        for (String name : List.of("a.log", "b.log", "worker.log")) {
            Path log = scratch.resolve(name);
            if (Files.exists(log)) all.append("== ").append(name).append('\n').append(Files.readString(log)).append('\n');
        }
        return all.toString();
    }

    private int workers(String url) throws Exception {
        int n = 0;
        for (JsonNode m : get(url + "api/cluster").path("members")) if (m.path("role").asText().equals("worker")) n++;
        return n;
    }

    private void startWorker(String cluster, int join) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.sluice.worker.app.WorkerMain",
                "--join", "127.0.0.1:" + join, "--cluster-name", cluster, "--cluster-port", "0", "--name", "failover-worker",
                "--slots", "2", "--work-dir", scratch.resolve("worker").toString())
                .redirectErrorStream(true).redirectOutput(scratch.resolve("worker.log").toFile()).start();
        servers.add(p);
    }

    private boolean isLeader(String url) throws Exception {
        for (JsonNode m : get(url + "api/cluster").path("members")) {
            if (m.path("role").asText().equals("engine") && m.path("address").asText().equals(url.substring(0, url.length() - 1))) {
                return m.path("leader").asBoolean();
            }
        }
        return false;
    }

    private String startServer(String name, String db, String cluster, int clusterPort, String join) throws Exception {
        Path out = scratch.resolve(name + ".out");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "server", "--port", "0",
                "--db", db, "--data-dir", scratch.resolve("data").toString(), "--pipelines", Cli.fixture("restart").toString(),
                "--no-local-worker", "--cluster-name", cluster, "--cluster-port", Integer.toString(clusterPort)));
        if (join != null) command.addAll(List.of("--join", join));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(scratch.resolve(name + ".log").toFile()).start();
        servers.add(p);
        await().atMost(Duration.ofSeconds(40)).until(() -> !p.isAlive() || Files.readString(out).startsWith("http"));
        assertThat(p.isAlive()).as(Files.readString(scratch.resolve(name + ".log"))).isTrue();
        return Files.readString(out).lines().findFirst().orElseThrow().trim();
    }

    private JsonNode get(String url) throws Exception {
        return json.readTree(send("GET", url, null));
    }

    private String send(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        b = body == null ? b.header("X-Sluice-Request", "1").method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
