package dev.sluice.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The store's side of issue 12: the outbox of run ends, event cursors, fired alerts and their
 * webhook deliveries, experiments and metric history. Writes that go with a run's creation are
 * {@link Change}s, committed with it by {@link Store#commit}; delivery bookkeeping is written here.
 */
public interface MonitorStore {

    /** A run whose end awaits handling, and the id of its end in {@code run_events} (the event's key). */
    record RunEnd(RunRecord run, long endEvent) {}

    /** Ended runs whose alerts and triggers are not handled yet, oldest end first, at most {@code limit}. */
    List<RunEnd> pendingEnds(int limit);

    /** Where an event source's cursor stands; empty before its first move. */
    OptionalLong cursor(String name);

    /** One row of reg's append-only {@code model_alias_moves}. {@code toVersion} null: the alias was deleted. */
    record AliasMove(long id, String model, String alias, Integer fromVersion, Integer toVersion, Instant at) {}

    /** Alias moves after {@code afterId}, by id, at most {@code limit}; empty when the registry's table is missing. */
    List<AliasMove> aliasMoves(long afterId, int limit);

    /** The highest alias move id (0 when none or no registry): where a new cursor starts. */
    long lastAliasMove();

    /** The run an event started for a pipeline, if any. */
    Optional<RunRecord> runByTriggerKey(String pipeline, String triggerKey);

    /** Which alerts to list: each filter null for any; newest first. */
    record AlertQuery(String pipeline, String severity, Instant since, int limit) {}

    List<AlertRecord> alerts(AlertQuery query);

    /** Alerts fired on a run's ends, oldest first. */
    List<AlertRecord> alertsOfRun(String runId);

    /** A delivery taken to be tried now, with what the webhook body needs. */
    record Due(AlertRecord alert, String channel, int attempts) {}

    /**
     * Takes the pending deliveries due at {@code now} (not of a disabled channel, not taken by another
     * try still in its claim): each is claimed until {@code claimUntil}, so a slow try is not taken twice.
     */
    List<Due> claimDue(Instant now, Instant claimUntil, int limit);

    /** The earliest next try of a pending delivery; empty when none is pending. */
    Optional<Instant> nextDue();

    /** Record a try: the state after it, its count, its error, the next try (pending) or delivery time. */
    void recordTry(String alertId, String channel, String state, int attempts, String error, Instant nextAt,
            Instant deliveredAt);

    /** A channel answered 410: no more tries to it, its pending deliveries disabled, until re-enabled. */
    void disableChannel(String channel, String reason, Instant at);

    /**
     * Re-enable a disabled channel: its disabled deliveries become pending, due at {@code at}.
     *
     * @return how many deliveries are pending again
     */
    int enableChannel(String channel, Instant at);

    Set<String> disabledChannels();

    /** One metric value of a pipeline's run: the task's successful attempt. */
    record MetricRow(String runId, String taskId, String stepId, Map<String, Object> matrix, String name, double value) {}

    /** A pipeline run as the experiments table sees it. */
    record RunRow(String id, String status, Instant createdAt, Map<String, Object> params) {}

    /** A task of a matrix step: a variant, a row of its own in the experiments table. */
    record VariantRow(String runId, String taskId, String stepId, Map<String, Object> matrix) {}

    /**
     * Every run of a pipeline, newest first, the metrics named (all when {@code names} is empty), and the
     * matrix variants of its runs in plan order.
     */
    record ExperimentData(List<RunRow> runs, List<MetricRow> metrics, List<VariantRow> variants) {
        public ExperimentData(List<RunRow> runs, List<MetricRow> metrics) {
            this(runs, metrics, List.of());
        }
    }

    ExperimentData experiments(String pipeline, Set<String> names);

    /** One value of a metric over time: the run, the task, when its attempt ended. */
    record HistoryPoint(String runId, String taskId, Instant at, double value) {}

    /** A metric of one step (its matrix variants too) across a pipeline's runs, oldest first. */
    List<HistoryPoint> history(String pipeline, String step, String name, Instant since, int limit);
}
