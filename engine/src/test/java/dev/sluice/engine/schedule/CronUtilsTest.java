package dev.sluice.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.cronutils.model.time.ExecutionTime;
import dev.sluice.engine.pipeline.Crons;
import dev.sluice.engine.pipeline.Schedule;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where there is no daylight-saving time, {@link CronTrigger} fires exactly when cron-utils says;
 * in a zone that has it, cron-utils 9.2.1 breaks the spec in the two ways below, which is why
 * CronTrigger asks it only in UTC. If a cron-utils upgrade makes these fail, it changed its DST
 * handling: check whether CronTrigger could lean on it.
 */
class CronUtilsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "* * * * *", "*/7 * * * *", "5/10 1-3 * * *", "0 */6 * * *", "0 9,17 * * 1-5", "30 2 1,15 * *",
        "0 0 13 * 5", "0 0 * * 0", "0 0 * * 7", "0 0 29 2 *", "0 0 1 */3 *",
        "15 4 * JAN,JUL SUN", "@hourly", "@daily", "@weekly", "@monthly", "@yearly"})
    void firesWhenCronUtilsSaysWhereThereIsNoDaylightSavingTime(String cron) {
        ExecutionTime cronUtils = ExecutionTime.forCron(Crons.parse(cron));
        CronTrigger trigger = new CronTrigger(new Schedule(cron, ZoneId.of("UTC"), false));
        Instant start = Instant.parse("2027-12-30T22:13:00Z");

        List<Instant> expected = new ArrayList<>();
        ZonedDateTime t = start.atZone(ZoneOffset.UTC);
        for (int i = 0; i < 300; i++) {
            t = cronUtils.nextExecution(t).orElseThrow();
            expected.add(t.toInstant());
        }

        assertThat(trigger.next(start, 300)).containsExactlyElementsOf(expected);
    }

    @Test
    void cronUtilsSkipsALocalTimeThatDoesNotExist() {
        ExecutionTime cronUtils = ExecutionTime.forCron(Crons.parse("30 2 * * *"));

        ZonedDateTime next = cronUtils.nextExecution(ZonedDateTime.parse("2026-03-28T12:00+01:00[Europe/Paris]")).orElseThrow();

        assertThat(next).isEqualTo(ZonedDateTime.parse("2026-03-30T02:30+02:00[Europe/Paris]"));
    }

    @Test
    void cronUtilsFiresAnHourlyCronTwiceInARepeatedHour() {
        ExecutionTime cronUtils = ExecutionTime.forCron(Crons.parse("0 * * * *"));

        ZonedDateTime first = cronUtils.nextExecution(ZonedDateTime.parse("2026-10-25T01:30+02:00[Europe/Paris]")).orElseThrow();
        ZonedDateTime second = cronUtils.nextExecution(first).orElseThrow();

        assertThat(first.toOffsetDateTime()).hasToString("2026-10-25T02:00+02:00");
        assertThat(second.toOffsetDateTime()).hasToString("2026-10-25T02:00+01:00");
    }
}
