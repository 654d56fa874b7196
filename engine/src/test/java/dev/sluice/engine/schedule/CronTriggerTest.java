package dev.sluice.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.engine.pipeline.Schedule;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Next ticks, daylight-saving time and the at-most-hourly rule. Times are written with their
 * offset, so a row shows both the local time and which occurrence of it is meant.
 */
class CronTriggerTest {

    @ParameterizedTest(name = "{0} in {1} after {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0 3 * * *     | UTC          | 2026-01-01T00:00Z             | 2026-01-01T03:00Z 2026-01-02T03:00Z
            0 3 * * *     | Europe/Paris | 2026-01-01T03:00+01:00        | 2026-01-02T03:00+01:00 2026-01-03T03:00+01:00
            0 3 * * *     | Europe/Paris | 2026-01-01T02:59:59.999+01:00 | 2026-01-01T03:00+01:00 2026-01-02T03:00+01:00
            0 * * * *     | UTC          | 2026-01-01T10:00Z             | 2026-01-01T11:00Z 2026-01-01T12:00Z
            0 * * * *     | Asia/Tokyo   | 2026-01-01T23:30+09:00        | 2026-01-02T00:00+09:00 2026-01-02T01:00+09:00
            * * * * *     | UTC          | 2026-01-01T12:00:30Z          | 2026-01-01T12:01Z 2026-01-01T12:02Z
            * * * * *     | UTC          | 2026-12-31T23:59Z             | 2027-01-01T00:00Z 2027-01-01T00:01Z
            30 2 * * 1,5  | Europe/Paris | 2026-01-01T00:00+01:00        | 2026-01-02T02:30+01:00 2026-01-05T02:30+01:00
            0 9 * * 1-5   | UTC          | 2026-01-02T09:00Z             | 2026-01-05T09:00Z 2026-01-06T09:00Z
            0 0 29 2 *    | UTC          | 2026-01-01T00:00Z             | 2028-02-29T00:00Z 2032-02-29T00:00Z
            0 0 13 * 5    | UTC          | 2026-01-09T00:00Z             | 2026-01-13T00:00Z 2026-01-16T00:00Z
            @hourly       | UTC          | 2026-01-01T10:59Z             | 2026-01-01T11:00Z 2026-01-01T12:00Z
            @daily        | Europe/Paris | 2026-01-01T12:00+01:00        | 2026-01-02T00:00+01:00 2026-01-03T00:00+01:00
            @weekly       | UTC          | 2026-01-01T00:00Z             | 2026-01-04T00:00Z 2026-01-11T00:00Z
            @monthly      | UTC          | 2026-01-01T00:00Z             | 2026-02-01T00:00Z 2026-03-01T00:00Z
            @yearly       | America/New_York | 2026-01-01T00:00-05:00    | 2027-01-01T00:00-05:00 2028-01-01T00:00-05:00
            """)
    void findsTheNextTicksStrictlyAfterAnInstant(String cron, String zone, String after, String expected) {
        assertThat(trigger(cron, zone).next(instant(after), 2)).containsExactlyElementsOf(instants(expected));
        assertThat(trigger(cron, zone).next(instant(after))).contains(instants(expected).get(0));
    }

    @Test
    void listsTheNextFiveFireTimes() {
        CronTrigger trigger = trigger("*/15 9-17 * * 1-5", "Europe/Paris");

        assertThat(trigger.next(instant("2026-01-02T17:20+01:00"), 5)).containsExactlyElementsOf(instants(
                "2026-01-02T17:30+01:00 2026-01-02T17:45+01:00 2026-01-05T09:00+01:00 2026-01-05T09:15+01:00"
                        + " 2026-01-05T09:30+01:00"));
        assertThat(trigger.next(instant("2026-01-02T17:20+01:00"), 0)).isEmpty();
    }

    @Test
    void neverFiresACronThatMatchesNoDate() {
        CronTrigger trigger = trigger("0 0 30 2 *", "Europe/Paris");

        assertThat(trigger.next(instant("2026-01-01T00:00Z"))).isEmpty();
        assertThat(trigger.next(instant("2026-01-01T00:00Z"), 5)).isEmpty();
        assertThat(trigger.latest(instant("2026-01-01T00:00Z"))).isEmpty();
    }

    @ParameterizedTest(name = "{0} in {1} after {2}")
    @CsvSource(delimiter = '|', textBlock = """
            30 2 * * *    | Europe/Paris       | 2026-03-28T12:00+01:00 | 2026-03-29T03:00+02:00 2026-03-30T02:30+02:00
            30 2 * * *    | America/New_York   | 2026-03-07T12:00-05:00 | 2026-03-08T03:00-04:00 2026-03-09T02:30-04:00
            0 2 * * *     | Europe/Paris       | 2026-03-28T12:00+01:00 | 2026-03-29T03:00+02:00 2026-03-30T02:00+02:00
            0 * * * *     | Europe/Paris       | 2026-03-29T00:30+01:00 | 2026-03-29T01:00+01:00 2026-03-29T03:00+02:00 2026-03-29T04:00+02:00
            0 * * * *     | America/New_York   | 2026-03-08T00:30-05:00 | 2026-03-08T01:00-05:00 2026-03-08T03:00-04:00 2026-03-08T04:00-04:00
            */15 * * * *  | Europe/Paris       | 2026-03-29T01:30+01:00 | 2026-03-29T01:45+01:00 2026-03-29T03:00+02:00 2026-03-29T03:15+02:00
            */15 * * * *  | America/New_York   | 2026-03-08T01:30-05:00 | 2026-03-08T01:45-05:00 2026-03-08T03:00-04:00 2026-03-08T03:15-04:00
            0 0 * * *     | America/Sao_Paulo  | 2018-11-03T12:00-03:00 | 2018-11-04T01:00-02:00 2018-11-05T00:00-02:00
            15 2 * * *    | Australia/Lord_Howe | 2026-10-03T12:00+10:30 | 2026-10-04T02:30+11:00 2026-10-05T02:15+11:00
            """)
    void firesALocalTimeThatDoesNotExistOnceWhenTheGapEnds(String cron, String zone, String after, String expected) {
        List<Instant> ticks = instants(expected);

        assertThat(trigger(cron, zone).next(instant(after), ticks.size())).containsExactlyElementsOf(ticks);
    }

    @ParameterizedTest(name = "{0} in {1} after {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0 * * * *     | Europe/Paris     | 2026-10-25T00:30+02:00 | 2026-10-25T01:00+02:00 2026-10-25T02:00+02:00 2026-10-25T03:00+01:00
            0 * * * *     | America/New_York | 2026-11-01T00:30-04:00 | 2026-11-01T01:00-04:00 2026-11-01T02:00-05:00 2026-11-01T03:00-05:00
            30 1 * * *    | America/New_York | 2026-10-31T12:00-04:00 | 2026-11-01T01:30-04:00 2026-11-02T01:30-05:00
            30 1 * * *    | America/New_York | 2026-11-01T01:10-05:00 | 2026-11-02T01:30-05:00
            30 2 * * *    | Europe/Paris     | 2026-10-24T12:00+02:00 | 2026-10-25T02:30+02:00 2026-10-26T02:30+01:00
            0 1,2 * * *   | America/New_York | 2026-11-01T00:00-04:00 | 2026-11-01T01:00-04:00 2026-11-01T02:00-05:00 2026-11-02T01:00-05:00
            @daily        | Europe/Paris     | 2026-10-24T12:00+02:00 | 2026-10-25T00:00+02:00 2026-10-26T00:00+01:00
            """)
    void firesAnAtMostHourlyCronOnceInARepeatedHourAtTheFirstOccurrence(
            String cron, String zone, String after, String expected) {
        List<Instant> ticks = instants(expected);

        assertThat(trigger(cron, zone).next(instant(after), ticks.size())).containsExactlyElementsOf(ticks);
    }

    @ParameterizedTest(name = "{0} in {1} after {2}")
    @CsvSource(delimiter = '|', textBlock = """
            */15 * * * *  | Europe/Paris     | 2026-10-25T01:50+02:00 | 2026-10-25T02:00+02:00 2026-10-25T02:15+02:00 2026-10-25T02:30+02:00 2026-10-25T02:45+02:00 2026-10-25T02:00+01:00 2026-10-25T02:15+01:00 2026-10-25T02:30+01:00 2026-10-25T02:45+01:00 2026-10-25T03:00+01:00
            */15 * * * *  | America/New_York | 2026-11-01T00:50-04:00 | 2026-11-01T01:00-04:00 2026-11-01T01:15-04:00 2026-11-01T01:30-04:00 2026-11-01T01:45-04:00 2026-11-01T01:00-05:00 2026-11-01T01:15-05:00 2026-11-01T01:30-05:00 2026-11-01T01:45-05:00 2026-11-01T02:00-05:00
            0,30 1 * * *  | America/New_York | 2026-11-01T00:00-04:00 | 2026-11-01T01:00-04:00 2026-11-01T01:30-04:00 2026-11-01T01:00-05:00 2026-11-01T01:30-05:00 2026-11-02T01:00-05:00
            * * * * *     | Europe/Paris     | 2026-10-25T02:58+02:00 | 2026-10-25T02:59+02:00 2026-10-25T02:00+01:00 2026-10-25T02:01+01:00
            */15 * * * *  | Europe/Paris     | 2026-10-25T02:20+01:00 | 2026-10-25T02:30+01:00 2026-10-25T02:45+01:00 2026-10-25T03:00+01:00
            """)
    void firesAMoreThanHourlyCronThroughBothOccurrencesOfARepeatedHour(
            String cron, String zone, String after, String expected) {
        List<Instant> ticks = instants(expected);

        assertThat(trigger(cron, zone).next(instant(after), ticks.size())).containsExactlyElementsOf(ticks);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "0 * * * * | false", "30 1 * * * | false", "@daily | false", "@hourly | false", "0 9,17 * * * | false",
            "0 */2 * * * | false", "*/15 * * * * | true", "* * * * * | true", "0,30 1 * * * | true",
            "0-1 3 * * * | true"})
    void firesMoreThanHourlyWhenTheMinuteFieldHasSeveralValues(String cron, boolean moreThanHourly) {
        assertThat(trigger(cron, "UTC").firesMoreThanHourly()).isEqualTo(moreThanHourly);
    }

    @ParameterizedTest(name = "{0} in {1} at or before {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0 3 * * *     | Europe/Paris     | 2026-01-02T03:00+01:00        | 2026-01-02T03:00+01:00
            0 3 * * *     | Europe/Paris     | 2026-01-02T02:59:59.999+01:00 | 2026-01-01T03:00+01:00
            30 2 * * *    | Europe/Paris     | 2026-03-29T12:00+02:00        | 2026-03-29T03:00+02:00
            0 * * * *     | America/New_York | 2026-11-01T01:59-05:00        | 2026-11-01T01:00-04:00
            */15 * * * *  | America/New_York | 2026-11-01T01:59-05:00        | 2026-11-01T01:45-05:00
            """)
    void findsTheLatestTickAtOrBeforeAnInstant(String cron, String zone, String atOrBefore, String expected) {
        assertThat(trigger(cron, zone).latest(instant(atOrBefore))).contains(instant(expected));
    }

    @Test
    void refusesAnInvalidCronWithAOneLineMessage() {
        assertThatThrownBy(() -> new CronTrigger(new Schedule("61 * * * *", ZoneId.of("UTC"), false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value 61 not in range [0, 59]");
    }

    static CronTrigger trigger(String cron, String zone) {
        return new CronTrigger(new Schedule(cron, ZoneId.of(zone), false));
    }

    static Instant instant(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }

    static List<Instant> instants(String offsetDateTimes) {
        return Arrays.stream(offsetDateTimes.trim().split("\\s+")).map(CronTriggerTest::instant).toList();
    }
}
