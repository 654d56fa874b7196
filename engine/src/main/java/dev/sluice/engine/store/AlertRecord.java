package dev.sluice.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An alert that fired, as stored: the message verbatim (pages escape it), and its delivery per channel.
 *
 * @param endEvent       the run event of the run's end it was evaluated on
 * @param index          the alert's position in the pipeline's {@code alerts}
 * @param triggerPipeline the pipeline its {@code trigger:} names, or null
 * @param triggeredRunId the run its {@code trigger:} started, or null (none, or refused)
 */
public record AlertRecord(String id, String pipeline, String runId, long endEvent, int index, String severity,
        String message, Instant firedAt, String triggerPipeline, String triggeredRunId, List<Delivery> deliveries) {

    /**
     * One channel's delivery of an alert.
     *
     * @param state pending, delivered, failed (no try left) or disabled (the channel answered 410)
     */
    public record Delivery(String channel, String state, int attempts, String lastError, Instant nextAt,
            Instant deliveredAt) {}

    public AlertRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        deliveries = List.copyOf(deliveries == null ? List.of() : deliveries);
    }
}
