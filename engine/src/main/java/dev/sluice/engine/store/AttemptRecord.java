package dev.sluice.engine.store;

import java.time.Instant;

/**
 * One attempt of a task, kept forever.
 *
 * @param status  RUNNING, SUCCEEDED, FAILED, or CANCELLED
 * @param reason  how it ended: {@code exit code N}, {@code timeout}, {@code cancelled},
 *                {@code missing output}, {@code worker lost}, {@code engine restart},
 *                {@code interrupted}, {@code cached}; null while running or on plain success
 * @param error   the message for a person (e.g. an expression error), may be null
 * @param counted whether it used up one of the step's {@code retries}
 */
public record AttemptRecord(
        String runId,
        String taskId,
        int attempt,
        String status,
        String worker,
        Instant startedAt,
        Instant endedAt,
        Integer exitCode,
        String reason,
        String error,
        boolean cached,
        boolean counted) {}
