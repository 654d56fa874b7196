package dev.sluice.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronsTest {

    @ParameterizedTest
    @CsvSource({"@hourly,0 * * * *", "@daily,0 0 * * *", "@midnight,0 0 * * *", "@weekly,0 0 * * 0",
            "@monthly,0 0 1 * *", "@yearly,0 0 1 1 *", "@annually,0 0 1 1 *", "' 0 3 * * * ',0 3 * * *"})
    void expandsMacros(String macro, String fields) {
        assertThat(Crons.normalize(macro)).isEqualTo(fields);
        assertThat(Crons.parse(macro).asString()).isEqualTo(fields);
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/15 9-17 * * 1-5", "0 0 1 JAN *", "0 0 * * MON-FRI", "5 4 * * 7"})
    void acceptsUnixCron(String cron) {
        assertThat(Crons.parse(cron)).isNotNull();
    }

    @Test
    void explainsWhatIsWrong() {
        assertThatThrownBy(() -> Crons.parse("61 * * * *")).hasMessage("value 61 not in range [0, 59]");
        assertThatThrownBy(() -> Crons.parse("0 3 * * * *"))
                .hasMessage("a cron has 5 fields (minute hour day month weekday), not 6");
        assertThatThrownBy(() -> Crons.parse("")).hasMessage("empty cron");
        assertThatThrownBy(() -> Crons.parse("@often")).hasMessageStartingWith("unknown cron macro '@often'");
    }
}
