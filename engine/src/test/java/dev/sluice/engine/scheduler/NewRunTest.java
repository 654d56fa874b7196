package dev.sluice.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NewRunTest {

    @Test
    void runIdsCreatedInTheSameSecondNeverRepeat() {
        // a server under load creates hundreds of runs a second; 20,000 random 6-hex-digit suffixes
        // would hold about a dozen repeats, each a run whose creation fails
        Instant now = Instant.parse("2026-12-07T23:30:00.250Z");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20_000; i++) ids.add(NewRun.newId(now));

        assertThat(ids).hasSize(20_000).allMatch(id -> id.matches("20261207T233000Z-[0-9a-f]{6}"));
    }
}
