package dev.sluice.engine.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Calls a Sluice server's API: JSON and text requests, and event streams that reconnect with
 * {@code Last-Event-ID} when the connection drops. Every failure is a {@link ClientException}
 * with a one-line message.
 */
public final class ServerClient {

    /** How long a stream keeps trying to reconnect before it gives up, by default. */
    public static final Duration DEFAULT_RECONNECT_FOR = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final long[] BACKOFF_MILLIS = {0, 250, 500, 1000, 2000};

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final String base;
    private final String token;
    private final Duration reconnectFor;
    private final HttpClient http;

    /**
     * @param server       the server's URL, such as {@code http://127.0.0.1:8080}
     * @param token        sent as {@code Authorization: Bearer}; null for none
     * @param reconnectFor how long a broken stream keeps trying to reconnect
     * @throws IllegalArgumentException when the URL is not an http or https URL
     */
    public ServerClient(String server, String token, Duration reconnectFor) {
        this.base = checkUrl(server);
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.reconnectFor = reconnectFor;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static String checkUrl(String server) {
        String s = server == null ? "" : server.strip();
        URI uri;
        try {
            uri = URI.create(s);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new IllegalArgumentException("the server URL must look like http://127.0.0.1:8080, got '" + server + "'");
        }
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The server's URL as given, without a trailing slash. */
    public String url() {
        return base;
    }

    /** The mapper the client reads JSON with (ISO-8601 instants; unknown fields ignored). */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** A path segment with every reserved character escaped: a step id such as {@code train[c=0.1]}. */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query parameter value, escaped. */
    public static String query(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** {@code GET path}, answered with JSON. */
    public JsonNode getJson(String path) {
        return json(send(request(path).header("Accept", "application/json").GET(), path));
    }

    /** {@code GET path} as JSON read into a type. */
    public <T> T get(String path, Class<T> type) {
        JsonNode node = getJson(path);
        try {
            return mapper.treeToValue(node, type);
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.UNREACHABLE, 200,
                    "the server's answer to GET " + path + " is not what this client understands: " + e.getMessage());
        }
    }

    /** {@code GET path}, answered with text. */
    public String getText(String path) {
        return send(request(path).GET(), path).body();
    }

    /** {@code POST path} with a JSON body, answered with JSON. */
    public JsonNode postJson(String path, Object body) {
        String text;
        try {
            text = mapper.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
        return json(send(request(path).header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)), path));
    }

    /** {@code PUT path} with a JSON body, answered with JSON. */
    public JsonNode putJson(String path, Object body) {
        return json(send(request(path).header("Content-Type", "application/json").header("Accept", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(jsonText(body))), path));
    }

    /** {@code DELETE path} with a JSON body, answered with JSON. */
    public JsonNode deleteJson(String path, Object body) {
        return json(send(request(path).header("Content-Type", "application/json").header("Accept", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(jsonText(body))), path));
    }

    private String jsonText(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** Told what a followed stream brings. */
    public interface StreamListener {
        /** The stream (re)connected; {@code again} is true after a dropped connection. */
        default void connected(boolean again) {}

        /** @return false to stop following (after the {@code end} event, say) */
        boolean event(SseEvent event);
    }

    /**
     * Follows a {@code text/event-stream} until the listener stops it. When the connection drops
     * or the stream ends early, reconnects, sending the last event id seen as {@code Last-Event-ID},
     * for up to the reconnect time since the last working connection.
     *
     * @throws ClientException when the server refuses the stream or stays unreachable
     */
    public void follow(String path, StreamListener listener) {
        String lastId = null;
        boolean again = false;
        long failingSince = 0;
        int failures = 0;
        String why;
        while (true) {
            HttpRequest.Builder b = request(path).header("Accept", "text/event-stream").timeout(REQUEST_TIMEOUT).GET();
            if (lastId != null) b.header("Last-Event-ID", lastId);
            try {
                HttpResponse<InputStream> response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() / 100 != 2) {
                    String body;
                    try (InputStream in = response.body()) {
                        body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                    }
                    ClientException e = error(response.statusCode(), body, path);
                    if (e.kind() == ClientException.Kind.INPUT) throw e;
                    why = e.getMessage();
                } else {
                    listener.connected(again);
                    failures = 0;
                    String[] seen = {lastId};
                    boolean stopped;
                    try (InputStream in = response.body()) {
                        stopped = SseParser.read(in, e -> {
                            if (e.id() != null) seen[0] = e.id();
                            return listener.event(e);
                        });
                    } finally {
                        lastId = seen[0];
                    }
                    if (stopped) return;
                    why = "the server closed the stream";
                }
            } catch (IOException e) {
                why = reason(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClientException(ClientException.Kind.UNREACHABLE, 0, "interrupted");
            }
            long now = System.nanoTime();
            if (failures == 0) failingSince = now;
            if (Duration.ofNanos(now - failingSince).compareTo(reconnectFor) >= 0) {
                throw new ClientException(ClientException.Kind.UNREACHABLE, 0, "lost the stream from " + base
                        + " and could not get it back in " + reconnectFor.toSeconds() + " s: " + why);
            }
            pause(BACKOFF_MILLIS[Math.min(failures, BACKOFF_MILLIS.length - 1)]);
            failures++;
            again = true;
        }
    }

    private static void pause(long millis) {
        if (millis == 0) return;
        try {
            Thread.sleep(millis); // backoff before reconnecting, not synchronization
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ClientException.Kind.UNREACHABLE, 0, "interrupted");
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT);
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String path) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.UNREACHABLE, 0, "cannot reach " + base + ": " + reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ClientException.Kind.UNREACHABLE, 0, "interrupted");
        }
        if (response.statusCode() / 100 != 2) throw error(response.statusCode(), response.body(), path);
        return response;
    }

    private JsonNode json(HttpResponse<String> response) {
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.UNREACHABLE, response.statusCode(),
                    "the server at " + base + " did not answer JSON (is it a Sluice server?)");
        }
    }

    /** The server's {@code {"error","message"}} as an exception; 4xx are the caller's input, the rest the server's. */
    private ClientException error(int status, String body, String path) {
        String message = null;
        try {
            JsonNode node = mapper.readTree(body);
            if (node != null && node.hasNonNull("message")) message = node.get("message").asText();
            if (node != null && node.has("errors") && node.get("errors").isArray()) message = problems(message, node.get("errors"));
        } catch (IOException e) {
            // not JSON: say what came back
        }
        if (message == null) {
            String first = body == null ? "" : body.strip().lines().findFirst().orElse("");
            message = "HTTP " + status + " from " + base + path + (first.isEmpty() ? "" : ": " + abbreviate(first));
        }
        boolean input = status >= 400 && status < 500;
        return new ClientException(input ? ClientException.Kind.INPUT : ClientException.Kind.UNREACHABLE, status, message);
    }

    private static String problems(String message, JsonNode errors) {
        StringBuilder sb = new StringBuilder(message == null ? "the pipeline is invalid" : message);
        for (JsonNode e : errors) {
            sb.append("; ");
            if (e.hasNonNull("line")) sb.append(e.get("line").asInt()).append(':').append(e.path("column").asInt()).append(": ");
            sb.append(e.path("message").asText());
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** Why a connection failed, in a few words. */
    static String reason(IOException e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) t = t.getCause();
        if (e instanceof HttpConnectTimeoutException) return "timed out connecting";
        if (e instanceof HttpTimeoutException) return "timed out waiting for an answer";
        if (e instanceof ConnectException || t instanceof ConnectException) {
            String m = t.getMessage();
            return m == null || m.toLowerCase(Locale.ROOT).contains("refused") ? "connection refused" : m;
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
