package dev.sluice.engine.api;

import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The API's own description: {@code GET /api/openapi.yaml} (OpenAPI 3, written by hand, kept true
 * by a test) and {@code GET /api/docs}, swagger-ui showing it. swagger-ui's files come from its
 * WebJar; the page and the script that starts it are ours, so no script is inline.
 */
public final class DocsHandler {

    /** swagger-ui sets style attributes and draws icons from data: URLs; the rest of the site allows neither. */
    static final String DOCS_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";
    private static final String OURS = "dev/sluice/engine/api/";
    private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/5.32.6/";

    /** {@code GET /api/openapi.yaml} */
    public void openapi(RoutingContext ctx) {
        serve(ctx, OURS + "openapi.yaml", "application/yaml; charset=utf-8", false);
    }

    /** {@code GET /api/schema/pipeline.json}: the pipeline language's JSON Schema, for editors. */
    public void pipelineSchema(RoutingContext ctx) {
        Http.blocking(ctx, () -> new Reply(200, "application/schema+json", dev.sluice.engine.pipeline.PipelineSchema.text()));
    }

    /** {@code GET /api/docs} */
    public void page(RoutingContext ctx) {
        serve(ctx, OURS + "docs/index.html", "text/html; charset=utf-8", true);
    }

    /** {@code GET /api/docs/{file}} for the fixed files of {@link BearerAuth#DOCS_ASSETS}. */
    public void asset(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String file = path.substring(path.lastIndexOf('/') + 1);
        if (!BearerAuth.DOCS_ASSETS.contains(file)) throw ApiException.notFound("no such resource: " + path);
        String resource = file.equals("swagger-initializer.js") ? OURS + "docs/" + file : SWAGGER_UI + file;
        serve(ctx, resource, file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8", true);
    }

    private static void serve(RoutingContext ctx, String resource, String type, boolean docsPolicy) {
        if (docsPolicy) ctx.response().putHeader("Content-Security-Policy", DOCS_POLICY);
        Http.blocking(ctx, () -> new Reply(200, type, read(resource)));
    }

    private static String read(String resource) {
        try (InputStream in = DocsHandler.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing from the jar: " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
