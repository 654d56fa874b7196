package dev.sluice.engine.schedule;

import dev.sluice.engine.pipeline.Crons;
import dev.sluice.engine.pipeline.Schedule;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When a {@link Schedule} ticks. A tick is an {@link Instant}, the run's logical date; the store
 * keys runs by pipeline and logical date, so a tick fires at most once ever, and this class needs
 * no state beyond its arguments. Immutable and safe to share.
 *
 * <h2>Daylight-saving time</h2>
 * The cron is matched against local date-times in the schedule's IANA zone (a wall clock, see
 * {@link WallClock}); each match becomes instants as follows.
 * <ul>
 *   <li>A local time that exists once is that instant.</li>
 *   <li>A local time that does not exist (spring forward: {@code 30 2 * * *} on 2026-03-29 in
 *       Europe/Paris) fires once, at the first instant after the gap, when local clocks show
 *       03:00. All matches in one gap share that instant, and so does a match at 03:00 itself:
 *       they are one tick ({@code 0 * * * *} fires at 01:00 then 03:00; {@code *}{@code /15 * * * *}
 *       at 01:45 then 03:00, 03:15).</li>
 *   <li>A local time that exists twice (fall back) fires once, at the first occurrence, when the
 *       cron fires at most hourly; when it fires more often, it fires at both, by real elapsed
 *       time: {@code *}{@code /15 * * * *} in Europe/Paris on 2026-10-25 fires at 02:00, 02:15,
 *       02:30, 02:45 summer time, then again at 02:00 ... 02:45 winter time, then 03:00.</li>
 * </ul>
 *
 * <h2>At most hourly</h2>
 * A 5-field cron matches every (hour, minute) of its hour and minute sets on every matching day,
 * so it fires at most hourly (any two ticks at least an hour apart in local time) exactly when
 * its minute field matches one value: {@code 0 * * * *}, {@code 30 1 * * *}, {@code @daily},
 * {@code 0 9,17 * * *}. With two or more minute values, two ticks of one hour are less than an
 * hour apart: {@code *}{@code /15 * * * *}, {@code * * * * *}, {@code 0,30 1 * * *}. This is read
 * from the cron's fields, not guessed from sample ticks.
 *
 * <h2>Why not cron-utils' ExecutionTime in the zone</h2>
 * cron-utils 9.2.1 asked in a zone skips a local time that does not exist ({@code 30 2 * * *}
 * never fires on 2026-03-29 in Europe/Paris) and fires an hourly cron at both occurrences of a
 * repeated hour. It is therefore asked only in UTC, for local date-times, and the mapping to
 * instants is done here.
 */
public final class CronTrigger {

    /** The most ticks {@link #due} returns with {@code catchup: true}. */
    public static final int MAX_CATCHUP = 100;

    private final Schedule schedule;
    private final ZoneRules rules;
    private final WallClock wall;
    private final boolean moreThanHourly;

    /**
     * @throws IllegalArgumentException if the cron is not valid, with a one-line message
     */
    public CronTrigger(Schedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.rules = schedule.timezone().getRules();
        this.wall = new WallClock(Crons.parse(schedule.cron()));
        this.moreThanHourly = wall.moreThanHourly();
    }

    public Schedule schedule() {
        return schedule;
    }

    /**
     * Whether the cron can fire twice within an hour (its minute field has several values); such a
     * cron fires through both occurrences of a repeated hour.
     */
    public boolean firesMoreThanHourly() {
        return moreThanHourly;
    }

    /** The first tick strictly after {@code after}, or empty if the cron never fires again. */
    public Optional<Instant> next(Instant after) {
        return Optional.ofNullable(tickAfter(Objects.requireNonNull(after, "after"), null)).map(Tick::at);
    }

    /** The next {@code n} ticks strictly after {@code after}, in order (fewer if the cron stops). */
    public List<Instant> next(Instant after, int n) {
        Objects.requireNonNull(after, "after");
        if (n < 0) throw new IllegalArgumentException("n must not be negative, not " + n);
        List<Instant> ticks = new ArrayList<>(n);
        Tick tick = n == 0 ? null : tickAfter(after, null);
        while (tick != null) {
            ticks.add(tick.at());
            tick = ticks.size() == n ? null : tickAfter(tick.at(), tick.local());
        }
        return ticks;
    }

    /** The latest tick at or before {@code atOrBefore}, or empty if there is none. */
    public Optional<Instant> latest(Instant atOrBefore) {
        Instant to = Objects.requireNonNull(atOrBefore, "atOrBefore");
        while (true) {
            ZoneOffsetTransition previous = rules.previousTransition(to.plusNanos(1));
            Instant lowest = previous == null ? null : previous.getInstant();
            if (lowest != null && !moreThanHourly && previous.isOverlap()) {
                lowest = lowest.plus(previous.getDuration().abs());
            }
            if (lowest == null || !to.isBefore(lowest)) {
                ZoneOffset offset = rules.getOffset(to);
                Optional<LocalDateTime> match = wall.lastAtOrBefore(LocalDateTime.ofInstant(to, offset));
                if (match.isEmpty()) return Optional.empty();
                Instant at = match.get().toInstant(offset);
                if (lowest == null || !at.isBefore(lowest)) return Optional.of(at);
            }
            if (previous == null) return Optional.empty();
            if (previous.isGap() && wall.anyIn(previous.getDateTimeBefore(), previous.getDateTimeAfter())) {
                return Optional.of(previous.getInstant());
            }
            to = previous.getInstant().minusNanos(1);
        }
    }

    /**
     * The ticks to fire now. Ticks at or before {@code createdAt} or {@code lastTick} never fire.
     * With {@code catchup: false}, only the latest tick in (max(lastTick, createdAt), now], if any.
     * With {@code catchup: true}, every tick in that interval, oldest first; past {@link
     * #MAX_CATCHUP} ticks, the most recent ones fire and the older ones are reported as skipped
     * (they are then older than the last fired tick, so they never fire later either).
     *
     * @param lastTick  the latest tick that fired, or null if none ever did
     * @param createdAt when the schedule was saved
     * @param now       the current time
     */
    public Due due(Instant lastTick, Instant createdAt, Instant now) {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(now, "now");
        Instant since = lastTick == null || lastTick.isBefore(createdAt) ? createdAt : lastTick;
        if (!now.isAfter(since)) return Due.none();
        if (!schedule.catchup()) {
            return latest(now).filter(t -> t.isAfter(since))
                    .map(t -> new Due(List.of(t), Optional.empty()))
                    .orElse(Due.none());
        }
        ArrayDeque<Instant> kept = new ArrayDeque<>(MAX_CATCHUP);
        long skipped = 0;
        Instant firstSkipped = null;
        Instant lastSkipped = null;
        for (Tick tick = tickAfter(since, null); tick != null && !tick.at().isAfter(now);
                tick = tickAfter(tick.at(), tick.local())) {
            if (kept.size() == MAX_CATCHUP) {
                lastSkipped = kept.removeFirst();
                if (firstSkipped == null) firstSkipped = lastSkipped;
                skipped++;
            }
            kept.addLast(tick.at());
        }
        Optional<Due.Skipped> left = skipped == 0 ? Optional.empty()
                : Optional.of(new Due.Skipped(skipped, firstSkipped, lastSkipped));
        return new Due(List.copyOf(kept), left);
    }

    /**
     * The first tick strictly after {@code after}, or null. Walks the zone's offset periods: in
     * each, the first wall-clock match that lies in it, else the gap at its end if a match falls
     * in the gap. {@code hint} is the local time of {@code after} when {@code after} was itself a
     * tick at a matching local time; it lets the wall clock step within the day without asking
     * cron-utils.
     */
    private Tick tickAfter(Instant after, LocalDateTime hint) {
        Instant from = after;
        boolean inclusive = false;
        while (true) {
            if (!moreThanHourly) {
                Instant end = secondOccurrenceEnd(from);
                if (end != null) {
                    from = end;
                    inclusive = true;
                }
            }
            ZoneOffset offset = rules.getOffset(from);
            ZoneOffsetTransition next = rules.nextTransition(from);
            LocalDateTime local = LocalDateTime.ofInstant(from, offset);
            Optional<LocalDateTime> match = inclusive ? wall.firstAtOrAfter(local)
                    : local.equals(hint) ? wall.nextAfterMatch(hint) : wall.firstAfter(local);
            if (match.isEmpty()) return null;
            Instant at = match.get().toInstant(offset);
            if (next == null || at.isBefore(next.getInstant())) return new Tick(at, match.get());
            if (next.isGap() && wall.anyIn(next.getDateTimeBefore(), next.getDateTimeAfter())) {
                return new Tick(next.getInstant(), null);
            }
            from = next.getInstant();
            inclusive = true;
        }
    }

    /**
     * If {@code t} lies in the second occurrence of a repeated stretch of local time (just after
     * a fall-back transition), the instant that stretch ends; else null.
     */
    private Instant secondOccurrenceEnd(Instant t) {
        ZoneOffsetTransition previous = rules.previousTransition(t.plusNanos(1));
        if (previous == null || !previous.isOverlap()) return null;
        Instant end = previous.getInstant().plus(previous.getDuration().abs());
        return t.isBefore(end) ? end : null;
    }

    /** A tick and the matching local time it came from (null for a tick at the end of a gap). */
    private record Tick(Instant at, LocalDateTime local) {
    }
}
