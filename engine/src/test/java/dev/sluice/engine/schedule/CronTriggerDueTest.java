package dev.sluice.engine.schedule;

import static dev.sluice.engine.schedule.CronTriggerTest.instant;
import static dev.sluice.engine.schedule.CronTriggerTest.instants;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.pipeline.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which ticks fire now, after downtime, with and without catch-up. */
class CronTriggerDueTest {

    private static final Instant CREATED = instant("2026-01-01T00:00Z");

    @Test
    void firesOnlyTheLatestMissedTickWithoutCatchup() {
        CronTrigger daily = trigger("0 3 * * *", "Europe/Paris", false);

        Due due = daily.due(instant("2026-01-02T03:00+01:00"), CREATED, instant("2026-01-05T04:00+01:00"));

        assertThat(due.ticks()).containsExactly(instant("2026-01-05T03:00+01:00"));
        assertThat(due.skipped()).isEmpty();
    }

    @Test
    void firesEveryMissedTickOldestFirstWithCatchup() {
        CronTrigger daily = trigger("0 3 * * *", "Europe/Paris", true);

        Due due = daily.due(instant("2026-01-02T03:00+01:00"), CREATED, instant("2026-01-05T04:00+01:00"));

        assertThat(due.ticks()).containsExactlyElementsOf(instants(
                "2026-01-03T03:00+01:00 2026-01-04T03:00+01:00 2026-01-05T03:00+01:00"));
        assertThat(due.skipped()).isEmpty();
    }

    @Test
    void firesTheMostRecentHundredMissedTicksAndReportsTheOlderOnes() {
        CronTrigger quarterly = trigger("*/15 * * * *", "UTC", true);

        Due due = quarterly.due(instant("2026-01-10T00:00Z"), CREATED, instant("2026-01-11T06:05Z"));

        assertThat(due.ticks()).hasSize(CronTrigger.MAX_CATCHUP)
                .startsWith(instant("2026-01-10T05:15Z"))
                .endsWith(instant("2026-01-11T06:00Z"))
                .isSorted();
        assertThat(due.skipped()).contains(new Due.Skipped(20, instant("2026-01-10T00:15Z"), instant("2026-01-10T05:00Z")));
    }

    @Test
    void countsTheSkippedTicksOfAYearOfDowntime() {
        CronTrigger everyMinute = trigger("* * * * *", "Europe/Paris", true);

        Due due = everyMinute.due(instant("2026-01-01T00:00Z"), CREATED, instant("2027-01-01T00:00Z"));

        long minutesInTheYear = Duration.ofDays(365).toMinutes();
        assertThat(due.ticks()).hasSize(100).endsWith(instant("2027-01-01T00:00Z"));
        assertThat(due.skipped()).hasValueSatisfying(s -> {
            assertThat(s.count()).isEqualTo(minutesInTheYear - 100);
            assertThat(s.first()).isEqualTo(instant("2026-01-01T00:01Z"));
            assertThat(s.last()).isEqualTo(instant("2026-12-31T22:20Z"));
        });
    }

    @Test
    void catchesUpThroughDaylightSavingTimeLikeNext() {
        CronTrigger hourly = trigger("0 * * * *", "Europe/Paris", true);

        Due due = hourly.due(instant("2026-10-25T00:00+02:00"), CREATED, instant("2026-10-25T04:30+01:00"));

        assertThat(due.ticks()).containsExactlyElementsOf(instants(
                "2026-10-25T01:00+02:00 2026-10-25T02:00+02:00 2026-10-25T03:00+01:00 2026-10-25T04:00+01:00"));
    }

    @Test
    void neverFiresATickBeforeTheScheduleWasSaved() {
        Instant created = instant("2026-01-03T12:00Z");
        Instant now = instant("2026-01-05T12:00Z");

        assertThat(trigger("0 3 * * *", "UTC", true).due(null, created, now).ticks())
                .containsExactlyElementsOf(instants("2026-01-04T03:00Z 2026-01-05T03:00Z"));
        assertThat(trigger("0 3 * * *", "UTC", true).due(instant("2026-01-01T03:00Z"), created, now).ticks())
                .containsExactlyElementsOf(instants("2026-01-04T03:00Z 2026-01-05T03:00Z"));
        assertThat(trigger("0 3 * * *", "UTC", false).due(null, created, instant("2026-01-04T02:00Z")).ticks())
                .isEmpty();
        assertThat(trigger("0 3 * * *", "UTC", true).due(null, instant("2026-01-04T03:00Z"), now).ticks())
                .as("a tick at the very instant the schedule was saved")
                .containsExactly(instant("2026-01-05T03:00Z"));
    }

    @Test
    void neverFiresTheLastTickAgain() {
        Instant last = instant("2026-01-05T03:00Z");

        for (boolean catchup : List.of(false, true)) {
            CronTrigger daily = trigger("0 3 * * *", "UTC", catchup);
            assertThat(daily.due(last, CREATED, last).isEmpty()).isTrue();
            assertThat(daily.due(last, CREATED, instant("2026-01-05T09:00Z")).isEmpty()).isTrue();
            assertThat(daily.due(last, CREATED, instant("2026-01-06T03:00Z")).ticks())
                    .containsExactly(instant("2026-01-06T03:00Z"));
        }
    }

    @Test
    void firesATickAtTheVeryInstantItIsDue() {
        Due due = trigger("0 3 * * *", "UTC", false).due(null, CREATED, instant("2026-01-01T03:00Z"));

        assertThat(due.ticks()).containsExactly(instant("2026-01-01T03:00Z"));
    }

    @Test
    void firesNothingWhenTheClockIsBehindTheLastTick() {
        Due due = trigger("* * * * *", "UTC", true).due(instant("2026-02-01T00:00Z"), CREATED, instant("2026-01-31T00:00Z"));

        assertThat(due).isEqualTo(Due.none());
    }

    private static CronTrigger trigger(String cron, String zone, boolean catchup) {
        return new CronTrigger(new Schedule(cron, ZoneId.of(zone), catchup));
    }
}
