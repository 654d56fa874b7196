package dev.sluice.worker.cluster;

import dev.sluice.worker.artifact.ArtifactStore;
import dev.sluice.worker.protocol.Artifact;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Moves artifacts between the engine and this worker's {@link ArtifactStore} over HTTP
 * ({@code java.net.http}, blocking calls on its own I/O threads, never on an event loop).
 *
 * <p><b>Direct</b>: when this worker's store is an object store and the engine's registration reply
 * names the same one ({@link ArtifactStore#location()}), nothing goes through the engine: inputs are
 * read from the object store (verified into the local cache before the step starts) and outputs are
 * already there (the executor put them). Otherwise:
 *
 * <ul>
 *   <li>Inputs: {@code GET {engineUrl}/api/artifacts/{sha256}} into a temporary file, then into the
 *       store; the stored content's sha256 must equal the one asked for, else the input fails
 *       with {@code sha256 mismatch}. Inputs already in the store are not downloaded.</li>
 *   <li>Outputs: {@code PUT {engineUrl}/api/cluster/artifacts/{sha256}} with the stored file as the
 *       body; {@code 200} or {@code 201} is success.</li>
 * </ul>
 * Both send {@code Authorization: Bearer <uploadToken>}. Retries are the caller's: it knows
 * whether the attempt still matters and which token is current.
 */
public final class ArtifactClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final ArtifactStore store;
    private final Path downloads;
    private final ExecutorService io;
    private final HttpClient http;

    /**
     * @param downloads folder for partial downloads (created when needed)
     * @param io        runs the blocking transfers
     */
    public ArtifactClient(ArtifactStore store, Path downloads, ExecutorService io) {
        this.store = Objects.requireNonNull(store, "store");
        this.downloads = Objects.requireNonNull(downloads, "downloads");
        this.io = Objects.requireNonNull(io, "io");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).executor(io).build();
    }

    /** Whether this worker reads and writes the engine's object store itself. */
    boolean direct(Endpoint endpoint) {
        return store.shared() && store.location().equals(endpoint.artifacts());
    }

    /** For the log: where this worker's artifacts go. */
    String describe(Endpoint endpoint) {
        if (direct(endpoint)) return "read and written directly in " + store.location();
        if (store.shared()) return "through the engine (the engine's store is " + (endpoint.artifacts() == null ? "its own folder"
                : endpoint.artifacts()) + ", not " + store.location() + ")";
        return "through the engine";
    }

    /**
     * Downloads the inputs that are not in the store yet, one at a time.
     *
     * @return fails with an {@link IOException} whose message says which input and why
     */
    CompletableFuture<Void> fetchMissing(Endpoint endpoint, List<Artifact> inputs) {
        return CompletableFuture.runAsync(() -> {
            Map<String, Artifact> bySha = new LinkedHashMap<>();
            inputs.forEach(a -> bySha.putIfAbsent(a.sha256(), a));
            boolean direct = direct(endpoint);
            for (Artifact input : bySha.values()) {
                try {
                    if (direct) {
                        store.localFile(input.sha256()); // from the object store into the cache, verified
                    } else if (!store.contains(input.sha256())) {
                        download(endpoint, input);
                    }
                } catch (IOException | IllegalArgumentException e) {
                    throw new CompletionException(new IOException("input " + input.from() + "/" + input.path() + ": " + e.getMessage(), e));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(new IOException("interrupted", e));
                }
            }
        }, io);
    }

    /**
     * Uploads one stored content; fails with an {@link IOException} saying why. Direct: nothing to
     * do, the executor put it into the object store already.
     */
    CompletableFuture<Void> upload(Endpoint endpoint, String sha256) {
        return CompletableFuture.runAsync(() -> {
            String url = endpoint.engineUrl() + "/api/cluster/artifacts/" + sha256;
            try {
                if (direct(endpoint)) {
                    return; // the executor put it into the object store; the leader checks it is there
                }
                HttpRequest request = authorized(URI.create(url), endpoint)
                        .PUT(HttpRequest.BodyPublishers.ofFile(store.localFile(sha256)))
                        .header("Content-Type", "application/octet-stream").build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (response.statusCode() != 200 && response.statusCode() != 201) {
                    throw new IOException("PUT " + url + " answered " + response.statusCode() + brief(response.body()));
                }
            } catch (IOException e) {
                throw new CompletionException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(new IOException("interrupted", e));
            }
        }, io);
    }

    private void download(Endpoint endpoint, Artifact input) throws IOException, InterruptedException {
        String url = endpoint.engineUrl() + "/api/artifacts/" + input.sha256();
        Files.createDirectories(downloads);
        Path part = Files.createTempFile(downloads, "get-", ".part");
        try {
            HttpResponse<Path> response = http.send(authorized(URI.create(url), endpoint).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(part));
            if (response.statusCode() != 200) {
                throw new IOException("GET " + url + " answered " + response.statusCode());
            }
            Artifact stored = store.put(input.from(), input.path(), part);
            if (!stored.sha256().equals(input.sha256())) {
                throw new IOException("sha256 mismatch: expected " + input.sha256() + ", downloaded " + stored.sha256()
                        + " (" + stored.size() + " bytes)");
            }
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static HttpRequest.Builder authorized(URI uri, Endpoint endpoint) {
        // the header the server asks of every state change (it refuses what a web page could send)
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).header("X-Sluice-Request", "1");
        if (endpoint.uploadToken() != null) {
            builder.header("Authorization", "Bearer " + endpoint.uploadToken());
        }
        return builder;
    }

    private static String brief(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return ": " + (oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine);
    }
}
