package dev.sluice.engine.api;

import dev.sluice.worker.artifact.ContentStore;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code GET /api/artifacts/{sha256}}: a stored content, as a download. */
public final class ArtifactsHandler {

    private final ContentStore artifacts;

    public ArtifactsHandler(ApiContext api) {
        this.artifacts = api.artifacts();
    }

    public void get(RoutingContext ctx) {
        String id = ctx.pathParam("sha256");
        // checked before anything touches the file system: the id is never used as a path otherwise
        if (id == null || !ContentStore.isSha256(id)) {
            throw ApiException.badRequest("bad-id", "an artifact id is 64 lower-case hex digits (its sha256)");
        }
        Http.blocking(ctx, () -> {
            Path file = artifacts.path(id);
            if (!Files.isRegularFile(file)) throw ApiException.notFound("no artifact " + id);
            return Reply.file(file);
        });
    }
}
