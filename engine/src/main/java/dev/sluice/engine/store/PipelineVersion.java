package dev.sluice.engine.store;

import java.time.Instant;

/** An immutable saved pipeline text: versions count from 1 per pipeline name. */
public record PipelineVersion(String name, int version, String sha256, String text, Instant createdAt) {}
