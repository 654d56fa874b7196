package dev.sluice.engine.pipeline;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One item of {@code alerts:}, evaluated when a run ends.
 *
 * @param index    its position in the list (an alert's identity within a pipeline version)
 * @param when     {@code failed}, {@code succeeded}, {@code finished}, or a bare expression (without {@code ${{ }}})
 * @param severity {@code info}, {@code warning} (default) or {@code critical}
 * @param message  a template ({@code ${{ }}} substituted, unquoted); null: a message saying what happened
 * @param channels its {@code notify:} channel names, configured on the server
 * @param trigger  a pipeline to start once per firing, or null
 * @param triggerAt where {@code trigger} is written (null when none or built in code)
 */
public record AlertRule(int index, String when, String severity, String message, List<String> channels, String trigger,
        Location triggerAt) {

    public static final Set<String> KEYWORDS = Set.of("failed", "succeeded", "finished");
    public static final List<String> SEVERITIES = List.of("info", "warning", "critical");

    public AlertRule {
        Objects.requireNonNull(when, "when");
        severity = severity == null ? "warning" : severity;
        channels = List.copyOf(channels == null ? List.of() : channels);
    }

    /** Whether {@code when} is an expression rather than a keyword. */
    public boolean isExpression() {
        return !KEYWORDS.contains(when);
    }
}
