package dev.sluice.worker.protocol;

import java.time.Instant;

/**
 * One line a step printed, secrets already masked.
 *
 * @param stream {@code 'O'} for stdout, {@code 'E'} for stderr, {@code 'S'} for Sluice's own notices
 */
public record LogLine(Instant at, char stream, String text) {}
