package dev.sluice.engine.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private static List<SseEvent> parse(String text) throws Exception {
        List<SseEvent> events = new ArrayList<>();
        SseParser.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), e -> events.add(e));
        return events;
    }

    @Test
    void readsFieldsSkipsCommentsAndJoinsDataLines() throws Exception {
        List<SseEvent> events = parse(": keep-alive\n\nid: 4\nevent: log\ndata: first\ndata:second\nretry: 10\n\ndata: plain\n\n");

        assertThat(events).containsExactly(new SseEvent("4", "log", "first\nsecond"), new SseEvent(null, "message", "plain"));
    }

    @Test
    void acceptsCarriageReturnLineEndsAndIgnoresAnUnfinishedLastEvent() throws Exception {
        assertThat(parse("event: end\r\ndata: {}\r\n\r\nevent: step\ndata: cut")).containsExactly(new SseEvent(null, "end", "{}"));
    }

    @Test
    void stopsWhenTheListenerSaysSo() throws Exception {
        List<SseEvent> seen = new ArrayList<>();
        boolean stopped = SseParser.read(new ByteArrayInputStream("data: a\n\ndata: b\n\n".getBytes(StandardCharsets.UTF_8)),
                e -> seen.add(e) && false);

        assertThat(stopped).isTrue();
        assertThat(seen).extracting(SseEvent::data).containsExactly("a");
    }
}
