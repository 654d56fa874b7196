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
 * @param triggerInfo what started it, as its run JSON's {@code trigger}: {@code type} (manual, schedule, model,
 *                    pipeline, alert, rerun) and the event's fields; scalar values only. Empty for a run stored
 *                    before it was kept: {@link #triggerJson} then derives it from {@code trigger}
 * @param triggerKey  the event it was started for (e.g. {@code pipeline:<run>:<event>}): unique per pipeline,
 *                    so an event never starts two runs; null for manual and scheduled runs
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
        String reason,
        Map<String, Object> triggerInfo,
        String triggerKey) {

    public RunRecord {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params == null ? Map.of() : params));
        triggerInfo = Collections.unmodifiableMap(new LinkedHashMap<>(triggerInfo == null ? Map.of() : triggerInfo));
    }

    /** A run without trigger details: {@link #triggerJson} derives them from {@code trigger}. */
    public RunRecord(String id, String pipeline, int version, RunState status, Map<String, Object> params,
            Instant logicalDate, String trigger, Instant createdAt, Instant startedAt, Instant endedAt, String owner,
            Instant heartbeatAt, String reason) {
        this(id, pipeline, version, status, params, logicalDate, trigger, createdAt, startedAt, endedAt, owner,
                heartbeatAt, reason, null, null);
    }

    /** The same run with what started it. */
    public RunRecord withTrigger(Map<String, Object> info, String key) {
        return new RunRecord(id, pipeline, version, status, params, logicalDate, trigger, createdAt, startedAt, endedAt,
                owner, heartbeatAt, reason, info, key);
    }

    /**
     * What started the run, as the API shows it: the stored details, or {@code {"type": ...}} from
     * {@code trigger} ({@code cli} counts as manual), with {@code logical_date} for a schedule.
     */
    public Map<String, Object> triggerJson() {
        if (!triggerInfo.isEmpty()) {
            if (!"schedule".equals(triggerInfo.get("type")) || triggerInfo.containsKey("logical_date") || logicalDate == null) return triggerInfo;
            Map<String, Object> m = new LinkedHashMap<>(triggerInfo); // filled by V7 without its date
            m.put("logical_date", logicalDate.toString());
            return m;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        String type = trigger == null || trigger.equals("cli") ? "manual" : trigger;
        m.put("type", type);
        if (type.equals("schedule") && logicalDate != null) m.put("logical_date", logicalDate.toString());
        return m;
    }
}
