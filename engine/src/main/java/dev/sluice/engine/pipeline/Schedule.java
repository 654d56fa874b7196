package dev.sluice.engine.pipeline;

import java.time.ZoneId;
import java.util.Objects;

/** A cron trigger: 5-field Unix cron or a macro ({@code @daily}), in an IANA zone. */
public record Schedule(String cron, ZoneId timezone, boolean catchup) {
    public Schedule {
        Objects.requireNonNull(cron, "cron");
        timezone = timezone == null ? ZoneId.of("UTC") : timezone;
    }
}
