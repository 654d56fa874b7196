package dev.sluice.engine.store;

import dev.sluice.engine.run.RunState;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run as stored.
 *
 * @param params      the effective params (defaults overridden by the trigger), String/Long/Double/Boolean
 * @param logicalDate the schedule tick, or the trigger time for manual runs
 * @param trigger     {@code manual}, {@code schedule}, {@code cli}
 * @param owner       who executes it, e.g. {@code cli:host:pid:startMillis}; {@code null} when nobody does
 * @param heartbeatAt when the owner last said it is alive
 * @param reason      why it ended as it did (e.g. {@code interrupted}); may be null
 */
public record RunRecord(
        String id,
        String pipeline,
        int version,
        RunState status,
        Map<String, Object> params,
        Instant logicalDate,
        String trigger,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        String owner,
        Instant heartbeatAt,
        String reason) {

    public RunRecord {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params == null ? Map.of() : params));
    }
}
