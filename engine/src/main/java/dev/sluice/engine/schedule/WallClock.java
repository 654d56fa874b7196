package dev.sluice.engine.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.time.ExecutionTime;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Optional;

/**
 * The local date-times a cron matches, with no time zone: a wall clock that never jumps.
 *
 * <p>Days come from cron-utils, asked in UTC where it has no daylight-saving time to get wrong
 * (it then agrees with plain cron, days of month and days of week included). Within a matching
 * day the times are every (hour, minute) of the cron's hour and minute sets, so walking from one
 * match to the next in the same day needs no cron-utils call; that keeps counting thousands of
 * missed ticks cheap.
 */
final class WallClock {

    private static final LocalTime LAST_MINUTE = LocalTime.of(23, 59);

    private final ExecutionTime days;
    private final BitSet minutes;
    private final BitSet hours;

    WallClock(Cron cron) {
        CronFields fields = CronFields.of(cron);
        this.days = ExecutionTime.forCron(cron);
        this.minutes = fields.minutes();
        this.hours = fields.hours();
    }

    /** More than one minute value: some matches lie less than an hour apart. */
    boolean moreThanHourly() {
        return minutes.cardinality() > 1;
    }

    /** The first match at or after {@code t}. */
    Optional<LocalDateTime> firstAtOrAfter(LocalDateTime t) {
        LocalDateTime m = t.truncatedTo(ChronoUnit.MINUTES);
        if (m.isBefore(t)) m = m.plusMinutes(1);
        return after(m.minusMinutes(1));
    }

    /** The first match strictly after {@code t}. */
    Optional<LocalDateTime> firstAfter(LocalDateTime t) {
        return after(t.truncatedTo(ChronoUnit.MINUTES));
    }

    /** The first match after {@code match}, which must be a match: a fast path for walking. */
    Optional<LocalDateTime> nextAfterMatch(LocalDateTime match) {
        int h = match.getHour();
        int m = minutes.nextSetBit(match.getMinute() + 1);
        if (m < 0) {
            h = hours.nextSetBit(h + 1);
            m = minutes.nextSetBit(0);
        }
        if (h >= 0) return Optional.of(match.toLocalDate().atTime(h, m));
        return after(match.toLocalDate().atTime(LAST_MINUTE));
    }

    /** The last match at or before {@code t}. */
    Optional<LocalDateTime> lastAtOrBefore(LocalDateTime t) {
        LocalDateTime m = t.truncatedTo(ChronoUnit.MINUTES);
        return days.lastExecution(m.plusMinutes(1).atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
    }

    /** Whether a match lies in [{@code from}, {@code to}). */
    boolean anyIn(LocalDateTime from, LocalDateTime to) {
        return firstAtOrAfter(from).filter(m -> m.isBefore(to)).isPresent();
    }

    private Optional<LocalDateTime> after(LocalDateTime wholeMinute) {
        return days.nextExecution(wholeMinute.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
    }
}
