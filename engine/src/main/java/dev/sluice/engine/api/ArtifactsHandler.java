package dev.sluice.engine.api;

import dev.sluice.worker.artifact.ArtifactStore;
import dev.sluice.worker.artifact.CorruptContentException;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.NoSuchFileException;

/**
 * {@code GET /api/artifacts/{sha256}}: a stored content, as a download. From an object store the
 * content is first staged in the local cache and its hash verified, then served: a content whose
 * bytes do not match its hash is answered 500 {@code corrupt-artifact}, never sent.
 */
public final class ArtifactsHandler {

    private final ArtifactStore artifacts;

    public ArtifactsHandler(ApiContext api) {
        this.artifacts = api.artifacts();
    }

    public void get(RoutingContext ctx) {
        String id = ctx.pathParam("sha256");
        // checked before anything touches the file system: the id is never used as a path otherwise
        if (id == null || !ArtifactStore.isSha256(id)) {
            throw ApiException.badRequest("bad-id", "an artifact id is 64 lower-case hex digits (its sha256)");
        }
        Http.blocking(ctx, () -> {
            try {
                return Reply.file(artifacts.localFile(id));
            } catch (NoSuchFileException e) {
                throw ApiException.notFound("no artifact " + id);
            } catch (CorruptContentException e) {
                throw new ApiException(500, "corrupt-artifact", "the stored content of " + id
                        + " does not match its sha256: not served (" + e.actual() + ")");
            }
        });
    }
}
