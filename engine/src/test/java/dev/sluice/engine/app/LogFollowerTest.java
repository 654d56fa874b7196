package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.client.SseEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class LogFollowerTest {

    @Test
    void skipsTheLinesAServerSendsAgainAfterAReconnectAndStopsAtTheEnd() {
        StringWriter out = new StringWriter();
        LogFollower f = new LogFollower(new PrintWriter(out, true));

        f.connected(false);
        f.event(new SseEvent(null, "log", "a"));
        f.event(new SseEvent("1", "log", "b")); // the last line of stored chunk 1
        f.event(new SseEvent(null, "log", "c")); // chunk 2, cut before its last line
        f.connected(true); // resumes after chunk 1: c comes again
        f.event(new SseEvent(null, "log", "c"));
        f.event(new SseEvent("2", "log", "d"));
        boolean more = f.event(new SseEvent(null, "end", "{\"status\":\"SUCCEEDED\",\"attempt\":1}"));

        assertThat(out.toString().lines()).containsExactly("a", "b", "c", "d");
        assertThat(more).isFalse();
    }
}
