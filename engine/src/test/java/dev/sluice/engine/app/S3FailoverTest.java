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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The acceptance scenario: two {@code sluice server} processes with data dirs of their own,
 * one PostgreSQL, one S3-compatible store (s3proxy in this JVM, reached through the standard AWS
 * variables as MinIO would be) and one {@code sluice-worker} with the same {@code --artifacts}. The
 * worker writes a run's outputs to the bucket itself (none goes through the leader); either server
 * serves them, also after a {@code kill -9} of the leader; an object whose bytes do not match its
 * hash is never served.
 */
class S3FailoverTest {

    private static final String ARTIFACTS = "s3://artifacts/sluice";
    /** sha256 of "hello\n". */
    private static final String HELLO = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    @TempDir
    Path scratch;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final List<Process> processes = new ArrayList<>();
    private EmbeddedPostgres postgres;
    private S3TestServer s3;

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) p.destroyForcibly().waitFor();
        if (postgres != null) postgres.close();
        if (s3 != null) s3.close();
    }

    @Test
    void eitherServerServesTheWorkersOutputsAlsoAfterTheLeaderIsKilled() throws Exception {
        try {
            scenario();
        } catch (Throwable t) {
            System.out.println(logs()); // what the servers and the worker said, to see why
            throw t;
        }
    }

    private void scenario() throws Exception {
        s3 = new S3TestServer(Files.createDirectories(scratch.resolve("s3")), "artifacts");
        postgres = EmbeddedPostgres.start();
        String db = postgres.getJdbcUrl("postgres", "postgres");
        Path pipelines = Files.createDirectories(scratch.resolve("pipelines"));
        Files.writeString(pipelines.resolve("s3flow.yaml"), """
                name: s3flow
                steps:
                  - id: train
                    outputs: [model.bin]
                    run: head -c 200000 /dev/urandom > "$SLUICE_OUTPUTS/model.bin"
                  - id: score
                    needs: [train]
                    outputs: [check.txt]
                    run: sha256sum "$SLUICE_INPUTS/train/model.bin" | cut -d' ' -f1 > "$SLUICE_OUTPUTS/check.txt"
                """);
        String cluster = "s3-failover-" + ProcessHandle.current().pid();
        int firstPort = freePort();
        String a = startServer("a", db, cluster, firstPort, null, pipelines);
        await().atMost(Duration.ofSeconds(30)).until(() -> isLeader(a));
        String b = startServer("b", db, cluster, freePort(), "127.0.0.1:" + firstPort, pipelines);
        startWorker(cluster, firstPort);
        await().atMost(Duration.ofSeconds(30)).until(() -> workers(a) == 1);

        String runId = json.readTree(send("POST", a + "api/pipelines/s3flow/runs", "{}")).get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("SUCCEEDED", "FAILED")
                .contains(get(a + "api/runs/" + runId).path("status").asText()));
        JsonNode run = get(a + "api/runs/" + runId);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        String model = output(run, "train");
        String check = output(run, "score");

        // written by the worker straight to the bucket: nothing reached the leader's folder
        assertThat(Files.readString(scratch.resolve("worker.log"))).contains("read and written directly in " + ARTIFACTS + "/");
        assertThat(filesUnder(scratch.resolve("a-data"))).noneMatch(f -> f.endsWith(model) || f.endsWith(check));

        byte[] fromLeader = download(a, model);
        assertThat(sha256(fromLeader)).isEqualTo(model);
        assertThat(fromLeader).hasSize(200_000);
        assertThat(download(b, model)).isEqualTo(fromLeader);

        processes.get(0).destroyForcibly().waitFor(); // kill -9 of the leader

        assertThat(new String(download(b, check), StandardCharsets.UTF_8).strip()).isEqualTo(model);
        assertThat(download(b, model)).isEqualTo(fromLeader);

        // an object whose bytes are not its name's: refused, its bytes never sent
        try (S3Client admin = s3.settings().client()) {
            admin.putObject(r -> r.bucket("artifacts").key("sluice/58/" + HELLO), RequestBody.fromString("evil\n"));
        }
        HttpResponse<String> corrupt = http.send(HttpRequest.newBuilder(URI.create(b + "api/artifacts/" + HELLO)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(corrupt.statusCode()).isEqualTo(500);
        assertThat(corrupt.body()).contains("corrupt-artifact").doesNotContain("evil");
        assertThat(filesUnder(scratch.resolve("b-data"))).noneMatch(f -> f.endsWith(HELLO));
    }

    private static String output(JsonNode run, String step) {
        for (JsonNode s : run.get("steps")) {
            if (s.get("id").asText().equals(step)) return s.get("outputs").get(0).get("sha256").asText();
        }
        throw new AssertionError("no step " + step + " in " + run);
    }

    private byte[] download(String server, String sha) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(server + "api/artifacts/" + sha)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(server + " " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return r.body();
    }

    private static List<String> filesUnder(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(Path::toString).toList();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
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

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("SLUICE_LOG_LEVEL", "info");
        return env;
    }

    private void startWorker(String cluster, int join) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.sluice.worker.app.WorkerMain",
                "--join", "127.0.0.1:" + join, "--cluster-name", cluster, "--cluster-port", "0", "--name", "s3-worker",
                "--slots", "2", "--work-dir", scratch.resolve("worker").toString(), "--artifacts", ARTIFACTS)
                .redirectErrorStream(true).redirectOutput(scratch.resolve("worker.log").toFile());
        pb.environment().putAll(env());
        processes.add(pb.start());
    }

    private boolean isLeader(String url) throws Exception {
        for (JsonNode m : get(url + "api/cluster").path("members")) {
            if (m.path("role").asText().equals("engine") && m.path("address").asText().equals(url.substring(0, url.length() - 1))) {
                return m.path("leader").asBoolean();
            }
        }
        return false;
    }

    private String startServer(String name, String db, String cluster, int clusterPort, String join, Path pipelines) throws Exception {
        Path out = scratch.resolve(name + ".out");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "server", "--port", "0",
                "--db", db, "--data-dir", scratch.resolve(name + "-data").toString(), "--artifacts", ARTIFACTS,
                "--pipelines", pipelines.toString(), "--no-local-worker", "--cluster-name", cluster,
                "--cluster-port", Integer.toString(clusterPort)));
        if (join != null) command.addAll(List.of("--join", join));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(scratch.resolve(name + ".log").toFile());
        pb.environment().putAll(env());
        Process p = pb.start();
        processes.add(p);
        await().atMost(Duration.ofSeconds(40)).until(() -> !p.isAlive() || Files.readString(out).startsWith("http"));
        assertThat(p.isAlive()).as(Files.readString(scratch.resolve(name + ".log"))).isTrue();
        return Files.readString(out).lines().findFirst().orElseThrow().trim();
    }

    private JsonNode get(String url) throws Exception {
        return json.readTree(send("GET", url, null));
    }

    private String send(String method, String url, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        r = body == null ? r.method(method, HttpRequest.BodyPublishers.noBody())
                : r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
