package dev.sluice.engine.api;

import dev.sluice.engine.cluster.ClusterInfo;
import dev.sluice.engine.cluster.Member;
import dev.sluice.worker.artifact.ArtifactStore;
import dev.sluice.worker.protocol.Artifact;
import io.vertx.core.file.OpenOptions;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/cluster}: the members; {@code PUT /api/cluster/artifacts/{sha256}}: a worker's
 * output, streamed to disk (no body limit), stored only when its content has that hash (into the
 * artifact store, an object store included: workers without one go through here).
 */
public final class ClusterHandler {

    private final Optional<ClusterInfo> cluster;
    private final ArtifactStore artifacts;
    private final Path tmp;

    public ClusterHandler(ApiContext api) {
        this.cluster = api.cluster();
        this.artifacts = api.artifacts();
        this.tmp = api.artifacts().scratch().resolveSibling(".uploads");
    }

    public void members(RoutingContext ctx) {
        List<Member> members = cluster.map(ClusterInfo::members).orElse(List.of());
        boolean clustered = cluster.map(ClusterInfo::clustered).orElse(false);
        Http.send(ctx, Reply.ok(Map.of("clustered", clustered, "members", members.stream().map(ClusterHandler::json).toList())));
    }

    static Map<String, Object> json(Member m) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", m.id());
        j.put("name", m.name());
        j.put("role", m.role());
        j.put("leader", m.leader());
        j.put("address", m.address());
        j.put("labels", m.labels());
        j.put("slots", m.slots());
        j.put("running", m.running());
        j.put("joinedAt", m.joinedAt() == null ? null : m.joinedAt().toString());
        j.put("lastSeen", m.lastSeen() == null ? null : m.lastSeen().toString());
        return j;
    }

    public void upload(RoutingContext ctx) {
        if (cluster.isEmpty() || !cluster.get().clustered()) throw ApiException.notFound("this server is not in a cluster");
        if (!authorized(ctx.request().getHeader("Authorization"), cluster.get().uploadToken())) {
            Http.error(ctx, 401, "unauthorized", "uploads need the token the engine gave the worker when it registered");
            return;
        }
        String sha = ctx.pathParam("sha256");
        if (sha == null || !ArtifactStore.isSha256(sha)) {
            throw ApiException.badRequest("bad-id", "an artifact id is 64 lower-case hex digits (its sha256)");
        }
        ctx.request().pause();
        var fs = ctx.vertx().fileSystem();
        fs.mkdirs(tmp.toString())
                .compose(v -> fs.createTempFile(tmp.toString(), "upload-", ".part", (String) null))
                .onFailure(e -> Http.fail(ctx, e))
                .onSuccess(file -> fs.open(file, new OpenOptions().setWrite(true).setTruncateExisting(true))
                        .compose(out -> ctx.request().pipeTo(out))
                        .onFailure(e -> {
                            fs.delete(file); // a cut upload leaves nothing partial; the worker sends it again
                            Http.fail(ctx, e);
                        })
                        .onSuccess(v -> Http.blocking(ctx, () -> store(sha, Path.of(file)))));
    }

    private Reply store(String expected, Path file) throws Exception {
        try {
            boolean had = artifacts.contains(expected);
            Artifact a = artifacts.put("upload", expected, file);
            if (!a.sha256().equals(expected)) {
                throw ApiException.badRequest("hash-mismatch", "the content's sha256 is " + a.sha256() + ", not " + expected);
            }
            return Reply.json(had ? 200 : 201, Map.of("sha256", a.sha256(), "size", a.size()));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static boolean authorized(String header, String token) {
        String scheme = "Bearer ";
        if (header == null || !header.regionMatches(true, 0, scheme, 0, scheme.length())) return false;
        return MessageDigest.isEqual(header.substring(scheme.length()).strip().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }
}
