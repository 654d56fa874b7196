package dev.sluice.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.cronutils.model.time.ExecutionTime;
import dev.sluice.engine.pipeline.Crons;
import dev.sluice.engine.pipeline.Schedule;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checks {@link CronTrigger} against the spec's rules written the slow, obvious way: every minute
 * of real time around a transition, in both directions.
 */
class CronTriggerReferenceTest {

    @ParameterizedTest(name = "{0} ({1}) in {2} around {3}")
    @CsvSource(delimiter = '|', textBlock = """
            0 * * * *       | false | Europe/Paris        | 2026-03-29T01:00:00Z
            0 * * * *       | false | America/New_York    | 2026-11-01T06:00:00Z
            30 2 * * *      | false | Europe/Paris        | 2026-03-29T01:00:00Z
            30 1 * * *      | false | America/New_York    | 2026-11-01T06:00:00Z
            0 2,3 * * *     | false | Australia/Lord_Howe | 2026-10-03T15:30:00Z
            0 2,3 * * *     | false | Australia/Lord_Howe | 2026-04-04T15:00:00Z
            */15 * * * *    | true  | Europe/Paris        | 2026-10-25T01:00:00Z
            */20 1-3 * * *  | true  | America/New_York    | 2026-03-08T07:00:00Z
            10,40 * * * *   | true  | Australia/Lord_Howe | 2026-04-04T15:00:00Z
            45 * * * *      | false | America/Sao_Paulo   | 2018-11-04T03:00:00Z
            """)
    void agreesWithAMinuteByMinuteScan(String cron, boolean moreThanHourly, String zone, String transition) {
        CronTrigger trigger = new CronTrigger(new Schedule(cron, ZoneId.of(zone), false));
        Instant from = Instant.parse(transition).minus(6, ChronoUnit.HOURS);
        Instant to = Instant.parse(transition).plus(6, ChronoUnit.HOURS);
        List<Instant> expected = scan(cron, moreThanHourly, ZoneId.of(zone), from, to);

        List<Instant> forward = new ArrayList<>();
        for (Instant t : trigger.next(from, expected.size() + 5)) {
            if (t.isBefore(to)) forward.add(t);
        }
        List<Instant> backward = new ArrayList<>();
        for (Optional<Instant> t = trigger.latest(to.minusNanos(1)); t.isPresent() && t.get().isAfter(from);
                t = trigger.latest(t.get().minusNanos(1))) {
            backward.add(0, t.get());
        }

        assertThat(trigger.firesMoreThanHourly()).isEqualTo(moreThanHourly);
        assertThat(expected).isNotEmpty();
        assertThat(forward).containsExactlyElementsOf(expected);
        assertThat(backward).containsExactlyElementsOf(expected);
    }

    /** The ticks in (from, to): each minute whose local time matches, plus the end of each gap a match falls in. */
    private static List<Instant> scan(String cron, boolean moreThanHourly, ZoneId zone, Instant from, Instant to) {
        ExecutionTime matcher = ExecutionTime.forCron(Crons.parse(cron));
        ZoneRules rules = zone.getRules();
        TreeSet<Instant> ticks = new TreeSet<>();
        for (Instant t = from.plus(1, ChronoUnit.MINUTES); t.isBefore(to); t = t.plus(1, ChronoUnit.MINUTES)) {
            LocalDateTime local = LocalDateTime.ofInstant(t, zone);
            List<ZoneOffset> offsets = rules.getValidOffsets(local);
            boolean secondOccurrence = offsets.size() == 2 && rules.getOffset(t).equals(offsets.get(1));
            if (matches(matcher, local) && (moreThanHourly || !secondOccurrence)) ticks.add(t);
        }
        for (ZoneOffsetTransition tr = rules.nextTransition(from); tr.getInstant().isBefore(to);
                tr = rules.nextTransition(tr.getInstant())) {
            if (!tr.isGap()) continue;
            for (LocalDateTime l = tr.getDateTimeBefore(); l.isBefore(tr.getDateTimeAfter()); l = l.plusMinutes(1)) {
                if (matches(matcher, l)) ticks.add(tr.getInstant());
            }
        }
        return List.copyOf(ticks);
    }

    private static boolean matches(ExecutionTime matcher, LocalDateTime local) {
        ZonedDateTime wall = local.atZone(ZoneOffset.UTC);
        return matcher.isMatch(wall);
    }
}
