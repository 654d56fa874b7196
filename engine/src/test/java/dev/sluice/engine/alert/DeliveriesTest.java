package dev.sluice.engine.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.store.AlertRecord;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.MonitorStore;
import dev.sluice.engine.store.RunRecord;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhook delivery against a real HTTP receiver: signed, retried, deduplicated by id, surviving a restart. */
class DeliveriesTest {

    record Received(String id, String timestamp, String signature, String body) {}

    @TempDir
    Path dir;
    Store store;
    HttpServer receiver;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger answer = new AtomicInteger(200);
    static final byte[] SECRET = "s3cret-webhook-key".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void start() throws IOException {
        store = Stores.open(null, dir);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(ex.getRequestHeaders().getFirst("webhook-id"), ex.getRequestHeaders().getFirst("webhook-timestamp"),
                    ex.getRequestHeaders().getFirst("webhook-signature"), body));
            ex.sendResponseHeaders(answer.get(), -1);
            ex.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        store.close();
    }

    private Channels channels() {
        URI url = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        return new Channels(Map.of("oncall", new Channels.Channel("oncall", url, SECRET)));
    }

    private String fire(String message) {
        Instant now = Instant.now();
        RunRecord run = new RunRecord("r1", "monitoring", 1, RunState.QUEUED, Map.of(), now, "manual", now, null, null, null, null, null);
        store.commit(List.of(new Change.CreateRun(run, List.of())));
        store.commit(List.of(new Change.FireAlert(new AlertRecord("alert-1", "monitoring", "r1", 1, 0, "critical", message, now,
                null, null, List.of()), List.of("oncall", "unknown"))));
        return "alert-1";
    }

    private List<Duration> fast() {
        return List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void deliversOneSignedPostWhoseSignatureVerifiesWithTheChannelSecret() {
        String id = fire("drift: PSI 1.3 <b>bold</b>");
        try (Deliveries d = new Deliveries(store.monitor(), channels(), Clock.systemUTC(), fast(), Duration.ofSeconds(5))) {
            d.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> delivery("oncall").state().equals("delivered"));
        }
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(id);
            assertThat(r.signature()).isEqualTo(Webhook.signature(SECRET, id, Long.parseLong(r.timestamp()), r.body()));
            assertThat(r.body()).contains("\"text\":\"[critical] monitoring: drift: PSI 1.3 <b>bold</b>\"");
        });
        assertThat(delivery("unknown").state()).isEqualTo("failed");
        assertThat(delivery("unknown").lastError()).contains("not configured");
    }

    @Test
    void retriesA500WithGrowingDelaysUnderTheSameIdAndEndsFailed() {
        answer.set(500);
        fire("x");
        try (Deliveries d = new Deliveries(store.monitor(), channels(), Clock.systemUTC(), fast(), Duration.ofSeconds(5))) {
            d.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> delivery("oncall").state().equals("failed"));
        }
        assertThat(received).hasSize(4).extracting(Received::id).containsOnly("alert-1");
        assertThat(delivery("oncall").attempts()).isEqualTo(4);
        assertThat(delivery("oncall").lastError()).contains("HTTP 500");
    }

    @Test
    void aReceiverDownIsDeliveredOnceItIsBackAcrossARestartOfTheDeliverer() throws IOException {
        int port = receiver.getAddress().getPort();
        receiver.stop(0); // connection refused
        fire("x");
        try (Deliveries d = new Deliveries(store.monitor(), channels(), Clock.systemUTC(), List.of(Duration.ofMillis(300),
                Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(300),
                Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(300)), Duration.ofSeconds(5))) {
            d.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> delivery("oncall").attempts() >= 1);
        }
        // "restart": a new deliverer on the same store; the receiver is back on its port
        HttpServer back = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        back.createContext("/hook", ex -> {
            received.add(new Received(ex.getRequestHeaders().getFirst("webhook-id"), null, null, ""));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        back.start();
        receiver = back;
        try (Deliveries d = new Deliveries(store.monitor(), channels(), Clock.systemUTC(), fast(), Duration.ofSeconds(5))) {
            d.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> delivery("oncall").state().equals("delivered"));
            d.deliverDue();
        }
        assertThat(received).singleElement().satisfies(r -> assertThat(r.id()).isEqualTo("alert-1"));
    }

    @Test
    void aReceiverThatNeverAnswersTimesOutAndIsRetriedWithoutHoldingTheDeliverer() throws IOException {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        silent.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        silent.createContext("/hook", ex -> {
            received.add(new Received(ex.getRequestHeaders().getFirst("webhook-id"), null, null, ""));
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        silent.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + silent.getAddress().getPort() + "/hook");
            Channels one = new Channels(Map.of("oncall", new Channels.Channel("oncall", url, SECRET)));
            fire("x");
            try (Deliveries d = new Deliveries(store.monitor(), one, Clock.systemUTC(), fast(), Duration.ofSeconds(1))) {
                d.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> delivery("oncall").attempts() >= 2);
            }
            assertThat(delivery("oncall").lastError()).isEqualTo("no answer within 1 s");
            assertThat(received).extracting(Received::id).containsOnly("alert-1");
        } finally {
            never.countDown();
            silent.stop(0);
        }
    }

    @Test
    void aGoneReceiverDisablesItsChannel() {
        answer.set(410);
        fire("x");
        try (Deliveries d = new Deliveries(store.monitor(), channels(), Clock.systemUTC(), fast(), Duration.ofSeconds(5))) {
            d.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> delivery("oncall").state().equals("disabled"));
        }
        assertThat(store.monitor().disabledChannels()).containsExactly("oncall");

        // an operator re-enables it: the held delivery goes out again, under the same id
        answer.set(200);
        assertThat(store.monitor().enableChannel("oncall", Instant.now())).isEqualTo(1);
        try (Deliveries d = new Deliveries(store.monitor(), channels(), Clock.systemUTC(), fast(), Duration.ofSeconds(5))) {
            d.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> delivery("oncall").state().equals("delivered"));
        }
        assertThat(received).extracting(Received::id).containsExactly("alert-1", "alert-1");
    }

    @Test
    void refusesChannelsThatAreNotHttpOrPointAtTheServerItself() throws IOException {
        Path file = dir.resolve("channels.yaml");
        Files.writeString(file, "oncall: {url: \"file:///etc/passwd\"}\n");
        assertThatThrownBy(() -> Channels.load(file, 8080)).hasMessageContaining("only http and https").hasMessageNotContaining("passwd");
        Files.writeString(file, "oncall: {url: \"http://localhost:8080/api/pipelines/x/runs\"}\n");
        assertThatThrownBy(() -> Channels.load(file, 8080)).hasMessageContaining("this server itself");
        Files.writeString(dir.resolve("secret"), "whsec_" + java.util.Base64.getEncoder().encodeToString(SECRET) + "\n");
        Files.writeString(file, "oncall: {url: \"https://hooks.example.com/T0/B0\", secret_file: secret}\n");
        Channels ok = Channels.load(file, 8080);
        assertThat(ok.get("oncall").orElseThrow().secret()).isEqualTo(SECRET);
        assertThat(ok.toString()).doesNotContain("hooks.example.com");
    }

    private AlertRecord.Delivery delivery(String channel) {
        MonitorStore m = store.monitor();
        return m.alertsOfRun("r1").get(0).deliveries().stream().filter(d -> d.channel().equals(channel)).findFirst().orElseThrow();
    }
}
