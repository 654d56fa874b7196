package dev.sluice.worker.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a worker agent is and how it paces its conversation with the leader.
 *
 * @param workerId        unique per process (the event-bus addresses include it)
 * @param name            for people: logs and {@code GET /api/cluster}
 * @param labels          what steps may ask for ({@code worker.labels})
 * @param slots           how many attempts run at once
 * @param token           the join token presented at registration, when the cluster has one
 * @param host            this machine's cluster address, as told to the leader
 * @param pid             this process's id
 * @param timing          retry and batching intervals
 */
public record AgentSettings(
        String workerId,
        String name,
        List<String> labels,
        int slots,
        Optional<String> token,
        String host,
        long pid,
        Timing timing) {

    public AgentSettings {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        labels = List.copyOf(labels == null ? List.of() : labels);
        token = token == null ? Optional.empty() : token;
        timing = timing == null ? Timing.DEFAULT : timing;
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1, not " + slots);
        }
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "AgentSettings[workerId=" + workerId + ", name=" + name + ", labels=" + labels + ", slots=" + slots
                + ", token=" + (token.isPresent() ? "***" : "none") + ", host=" + host + ", pid=" + pid + "]";
    }

    /**
     * @param firstRetry     first delay before re-sending a registration, a result or an upload;
     *                       it doubles on each failure up to {@code maxRetry}
     * @param maxRetry       longest delay between two tries
     * @param requestTimeout how long a registration or a result waits for its reply
     * @param logFlush       how often buffered log lines are sent to the leader
     */
    public record Timing(Duration firstRetry, Duration maxRetry, Duration requestTimeout, Duration logFlush) {
        public static final Timing DEFAULT = new Timing(Duration.ofMillis(250), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofMillis(250));

        public Timing {
            Objects.requireNonNull(firstRetry, "firstRetry");
            Objects.requireNonNull(maxRetry, "maxRetry");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(logFlush, "logFlush");
        }
    }
}
