package dev.sluice.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerClientTest {

    private static ServerClient client(StubServer stub, String token) {
        return new ServerClient(stub.url(), token, Duration.ofSeconds(5));
    }

    /** Collects events until {@code end}. */
    private static final class Collector implements ServerClient.StreamListener {
        final List<SseEvent> events = new CopyOnWriteArrayList<>();
        final List<Boolean> connects = new CopyOnWriteArrayList<>();

        @Override
        public void connected(boolean again) {
            connects.add(again);
        }

        @Override
        public boolean event(SseEvent e) {
            events.add(e);
            return !e.event().equals("end");
        }
    }

    @Test
    void reconnectsWithTheLastEventIdWhenTheConnectionDrops() throws Exception {
        List<String> lastIds = new CopyOnWriteArrayList<>();
        try (StubServer stub = new StubServer(req -> {
            String last = req.getHeader("Last-Event-ID");
            lastIds.add(String.valueOf(last));
            if (last == null) {
                StubServer.stream(req, "id: 1\nevent: step\ndata: {\"n\":1}\n\n: keep-alive\n\nid: 2\nevent: run\ndata: {\"n\":2}\n\n")
                        .onComplete(v -> req.connection().close());
            } else {
                StubServer.stream(req, "id: 3\nevent: step\ndata: {\"n\":3}\n\nevent: end\ndata: {\"status\":\"SUCCEEDED\"}\n\n");
            }
        })) {
            Collector c = new Collector();
            client(stub, null).follow("/api/runs/r1/events", c);

            assertThat(c.events).extracting(SseEvent::id).containsExactly("1", "2", "3", null);
            assertThat(c.events).extracting(SseEvent::event).containsExactly("step", "run", "step", "end");
            assertThat(lastIds).containsExactly("null", "2");
            assertThat(c.connects).containsExactly(false, true);
        }
    }

    @Test
    void reconnectsWhenTheServerEndsTheStreamBeforeItsEndEvent() throws Exception {
        List<String> lastIds = new CopyOnWriteArrayList<>();
        try (StubServer stub = new StubServer(req -> {
            String last = req.getHeader("Last-Event-ID");
            lastIds.add(String.valueOf(last));
            if (last == null) StubServer.stream(req, "id: 7\nevent: step\ndata: {}\n\n").onComplete(v -> req.response().end());
            else StubServer.stream(req, "event: end\ndata: {\"status\":\"FAILED\"}\n\n");
        })) {
            Collector c = new Collector();
            client(stub, null).follow("/x", c);

            assertThat(lastIds).containsExactly("null", "7");
            assertThat(c.events).extracting(SseEvent::event).containsExactly("step", "end");
        }
    }

    @Test
    void givesUpAfterTheReconnectTimeWhenTheStreamKeepsFailing() throws Exception {
        try (StubServer stub = new StubServer(req -> req.response().setStatusCode(503).end("{\"error\":\"unavailable\",\"message\":\"busy\"}"))) {
            ServerClient client = new ServerClient(stub.url(), null, Duration.ZERO);

            assertThatThrownBy(() -> client.follow("/x", new Collector()))
                    .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.kind()).isEqualTo(ClientException.Kind.UNREACHABLE))
                    .hasMessageContaining("lost the stream from " + stub.url()).hasMessageContaining("busy");
        }
    }

    @Test
    void aRefusedStreamIsTheCallersErrorWithTheServersMessage() throws Exception {
        try (StubServer stub = new StubServer(req -> req.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                .end("{\"error\":\"not-found\",\"message\":\"no run r9\"}"))) {
            assertThatThrownBy(() -> client(stub, null).follow("/api/runs/r9/events", new Collector()))
                    .isInstanceOfSatisfying(ClientException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ClientException.Kind.INPUT);
                        assertThat(e.status()).isEqualTo(404);
                    })
                    .hasMessage("no run r9");
        }
    }

    @Test
    void sendsTheTokenAsABearerHeaderAndJsonBodies() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (StubServer stub = new StubServer(req -> req.body().onSuccess(body -> {
            seen.add(req.getHeader("Authorization"));
            seen.add(req.getHeader("Content-Type"));
            seen.add(body.toString());
            req.response().setStatusCode(201).putHeader("Content-Type", "application/json").end("{\"id\":\"r1\"}");
        }))) {
            var created = client(stub, " s3cret\n").postJson("/api/pipelines/p/runs", Map.of("params", Map.of("n", "5")));

            assertThat(created.get("id").asText()).isEqualTo("r1");
            assertThat(seen).containsExactly("Bearer s3cret", "application/json", "{\"params\":{\"n\":\"5\"}}");
        }
    }

    @Test
    void serverErrorsAreOneLineMessages() throws Exception {
        try (StubServer stub = new StubServer(req -> {
            if (req.path().equals("/bad")) {
                req.response().setStatusCode(400).end("{\"error\":\"bad-params\",\"message\":\"unknown param 'x'\"}");
            } else {
                req.response().setStatusCode(502).end("<html>\nbad gateway\n</html>");
            }
        })) {
            assertThatThrownBy(() -> client(stub, null).getJson("/bad"))
                    .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.kind()).isEqualTo(ClientException.Kind.INPUT))
                    .hasMessage("unknown param 'x'");
            assertThatThrownBy(() -> client(stub, null).getText("/other"))
                    .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.kind()).isEqualTo(ClientException.Kind.UNREACHABLE))
                    .hasMessage("HTTP 502 from " + stub.url() + "/other: <html>");
        }
    }

    @Test
    void saysWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ServerClient client = new ServerClient("http://127.0.0.1:" + port + "/", null, Duration.ZERO);

        assertThatThrownBy(() -> client.getJson("/api/runs"))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.kind()).isEqualTo(ClientException.Kind.UNREACHABLE))
                .hasMessage("cannot reach http://127.0.0.1:" + port + ": connection refused");
    }

    @Test
    void refusesAUrlThatIsNotHttp() {
        assertThatThrownBy(() -> new ServerClient("localhost:8080", null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://127.0.0.1:8080");
    }

    @Test
    void escapesPathSegments() {
        assertThat(ServerClient.segment("train[c=0.1 x]")).isEqualTo("train%5Bc%3D0.1%20x%5D");
    }
}
