package dev.sluice.engine.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The bearer token check: every request under {@code /api} and {@code /metrics} needs
 * {@code Authorization: Bearer <token>}, except the exact (method, path) pairs of {@link #OPEN}.
 * The path checked is the one the router matches ({@link RoutingContext#normalizedPath()}: dot
 * segments removed, unreserved escapes decoded), so a request cannot be checked as one path and
 * routed as another. Paths are guarded by a case-insensitive prefix (guarding too much is safe);
 * they are let through only by an exact match (letting through too much is the bug).
 */
public final class BearerAuth implements Handler<RoutingContext> {

    /** The files of {@code /api/docs/}: swagger-ui's, and our initializer. */
    public static final Set<String> DOCS_ASSETS = Set.of("swagger-ui.css", "index.css", "swagger-ui-bundle.js", "swagger-initializer.js");

    /** What anyone may ask without a token: the health check, the API's documentation and the pipeline schema (which hold no data). */
    public static final Set<String> OPEN = Stream.concat(
                    Stream.of("GET /api/health", "GET /api/openapi.yaml", "GET /api/docs", "GET /api/schema/pipeline.json"),
                    DOCS_ASSETS.stream().map(f -> "GET /api/docs/" + f))
            .collect(Collectors.toUnmodifiableSet());

    private static final String SCHEME = "Bearer ";

    private final byte[] expected;
    /** Cluster workers' token: good for artifacts only (inputs down, outputs up). */
    private final byte[] workers;

    /** @param token the one token the server accepts; not blank */
    public BearerAuth(String token) {
        this(token, null);
    }

    /** @param workerToken also accepted, for {@code GET /api/artifacts/*} and {@code PUT /api/cluster/artifacts/*} only; null for none */
    public BearerAuth(String token, String workerToken) {
        if (token == null || token.isBlank()) throw new IllegalArgumentException("the token is empty");
        this.expected = sha256(token);
        this.workers = workerToken == null ? null : sha256(workerToken);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (!guarded(path) || OPEN.contains(ctx.request().method().name() + " " + path)) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"sluice\"");
            Http.error(ctx, 401, "unauthorized", "this server needs a token: send the header Authorization: Bearer <token>");
        } else if (!matches(header.substring(SCHEME.length()).strip())
                && !(workers != null && artifactRoute(ctx) && MessageDigest.isEqual(sha256(header.substring(SCHEME.length()).strip()), workers))) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"sluice\", error=\"invalid_token\"");
            Http.error(ctx, 401, "unauthorized", "the token does not match the server's");
        } else {
            ctx.next();
        }
    }

    /** Constant time: both sides are hashed first, so neither the content nor the length leaks. */
    boolean matches(String given) {
        return MessageDigest.isEqual(sha256(given), expected);
    }

    private static boolean artifactRoute(RoutingContext ctx) {
        String m = ctx.request().method().name();
        String p = ctx.normalizedPath();
        return (m.equals("GET") && p.startsWith("/api/artifacts/")) || (m.equals("PUT") && p.startsWith("/api/cluster/artifacts/"));
    }

    static boolean guarded(String path) {
        String p = path == null ? "" : path.toLowerCase(Locale.ROOT).replaceAll("/{2,}", "/");
        return p.startsWith("/api") || p.startsWith("/metrics");
    }

    /**
     * The token a server starts with: the first line of {@code file} when given (a trailing newline
     * is dropped), else {@code env} (the value of {@code SLUICE_TOKEN}) when set, else none.
     *
     * @throws IllegalArgumentException when the file cannot be read, or the token is empty or holds
     *                                  spaces or control characters (no client could send it)
     */
    public static Optional<String> load(Path file, String env) {
        String token;
        String from;
        if (file != null) {
            try {
                token = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("--token-file " + file + ": cannot read it (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            }
            token = token.endsWith("\r\n") ? token.substring(0, token.length() - 2)
                    : token.endsWith("\n") ? token.substring(0, token.length() - 1) : token;
            from = "--token-file " + file;
        } else if (env != null) {
            token = env;
            from = "SLUICE_TOKEN";
        } else {
            return Optional.empty();
        }
        if (token.isEmpty()) throw new IllegalArgumentException(from + ": the token is empty");
        if (token.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException(from + ": the token must be one line without spaces or control characters");
        }
        return Optional.of(token);
    }

    /** @return whether users other than the owner may read {@code file} (false where the file system has no POSIX permissions) */
    public static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
