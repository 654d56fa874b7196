package dev.sluice.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.engine.pipeline.Schedule;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleDescriptionTest {

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0 3 * * *          | Europe/Paris     | every day at 03:00 Europe/Paris
            0 * * * *          | UTC              | every hour at minute 0 UTC
            */15 * * * *       | UTC              | every 15 minutes UTC
            30 2 * * 1,5       | Europe/Paris     | at 02:30 on Monday and Friday Europe/Paris
            * * * * *          | UTC              | every minute UTC
            @hourly            | UTC              | every hour at minute 0 UTC
            @daily             | America/New_York | every day at 00:00 America/New_York
            @weekly            | UTC              | at 00:00 on Sunday UTC
            @monthly           | UTC              | at 00:00 on day 1 of every month UTC
            @yearly            | UTC              | at 00:00 on 1 January UTC
            5 4 * * 7          | UTC              | at 04:05 on Sunday UTC
            0 8 * * SAT,SUN    | UTC              | at 08:00 on Saturday and Sunday UTC
            0 3 * * 1-5,0      | UTC              | at 03:00 on Monday to Friday and Sunday UTC
            */15 9-17 * * 1-5  | Europe/Paris     | every 15 minutes from 09:00 to 17:45 on Monday to Friday Europe/Paris
            0 9-17 * * *       | UTC              | every hour from 09:00 to 17:00 UTC
            0 9,17 * * *       | UTC              | every day at 09:00 and 17:00 UTC
            0 */6 * * *        | UTC              | every day at 00:00, 06:00, 12:00 and 18:00 UTC
            15,45 * * * *      | UTC              | every hour at minutes 15 and 45 UTC
            0 3 1,15 * *       | UTC              | at 03:00 on days 1 and 15 of every month UTC
            0 3 * 1,7 *        | UTC              | every day in January and July at 03:00 UTC
            0 3 * JAN-MAR MON  | UTC              | at 03:00 on Monday in January to March UTC
            0 0 13 * 5         | UTC              | at 00:00 on day 13 of every month and on Friday UTC
            """)
    void describesCommonSchedulesInWordsWithTheirZone(String cron, String zone, String words) {
        assertThat(ScheduleDescription.describe(new Schedule(cron, ZoneId.of(zone), false))).isEqualTo(words);
    }

    @Test
    void fallsBackToCronUtilsWordsForUnusualShapes() {
        assertThat(ScheduleDescription.describe(new Schedule("0 */2 * * *", ZoneId.of("UTC"), false)))
                .isEqualTo("every 2 hours at minute 0 UTC");
    }

    @Test
    void saysUtcWhenNoZoneIsGiven() {
        assertThat(ScheduleDescription.describe(new Schedule("0 3 * * *", null, true))).isEqualTo("every day at 03:00 UTC");
    }

    @Test
    void refusesAnInvalidCronWithAOneLineMessage() {
        assertThatThrownBy(() -> ScheduleDescription.describe(new Schedule("0 3 * *", ZoneId.of("UTC"), false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a cron has 5 fields (minute hour day month weekday), not 4");
    }
}
