package dev.sluice.engine.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Schema (draft-07) of the pipeline language, for editors: {@code pipeline.schema.json}
 * beside this class, copied at {@code docs/pipeline.schema.json} and served at
 * {@code GET /api/schema/pipeline.json}. It checks structure (keys, types, ids); Sluice's own
 * validation stays the judge. PipelineSchemaTest keeps the two in agreement on every fixture.
 */
public final class PipelineSchema {

    /** Where it is on the class path. */
    public static final String RESOURCE = "/dev/sluice/engine/pipeline/pipeline.schema.json";

    private PipelineSchema() {}

    /** The schema's text (UTF-8 JSON). */
    public static String text() {
        try (InputStream in = PipelineSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing from the jar: " + RESOURCE);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
