package dev.sluice.engine.api;

import static dev.sluice.engine.api.ApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.engine.api.SseReader.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamsApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    ApiServer api;
    Path root;

    @BeforeAll
    void start(@TempDir Path root) {
        this.root = root;
        api = new ApiServer(root);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    private SseReader open(String path, String lastEventId) {
        var request = api.request(path).GET();
        if (lastEventId != null) request.header("Last-Event-ID", lastEventId);
        HttpResponse<InputStream> r = api.stream(request);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        return new SseReader(r.body());
    }

    private static JsonNode data(Frame f) {
        try {
            return MAPPER.readTree(f.data());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(Frame f) {
        JsonNode d = data(f);
        return switch (f.event()) {
            case "run" -> "run " + d.get("status").asText();
            case "step" -> d.get("step").asText() + " " + d.get("status").asText();
            default -> f.event() + " " + d.get("status").asText();
        };
    }

    @Test
    void followsEveryStateChangeOfARunToItsEnd() {
        String id = api.trigger("hello", null);

        List<Frame> frames;
        try (SseReader events = open("/api/runs/" + id + "/events", null)) {
            frames = events.untilEnd();
        }

        assertThat(frames).extracting(StreamsApiTest::describe).containsExactly(
                "run QUEUED", "run RUNNING",
                "greet QUEUED", "greet RUNNING", "greet SUCCEEDED",
                "shout QUEUED", "shout RUNNING", "shout SUCCEEDED",
                "run SUCCEEDED", "end SUCCEEDED");
        JsonNode running = data(frames.get(3));
        assertThat(running.get("runId").asText()).isEqualTo(id);
        assertThat(running.get("attempt").asInt()).isEqualTo(1);
        assertThat(running.get("at").asText()).isNotEmpty();
        assertThat(frames.subList(0, frames.size() - 1)).allSatisfy(f -> assertThat(f.id()).isEqualTo(data(f).get("id").asText()));
    }

    @Test
    void aClientReconnectingWithLastEventIdGetsExactlyWhatItMissed() {
        String id = api.trigger("hello", null);
        List<Frame> all;
        try (SseReader events = open("/api/runs/" + id + "/events", null)) {
            all = events.untilEnd();
        }

        List<Frame> rest;
        try (SseReader events = open("/api/runs/" + id + "/events", all.get(3).id())) {
            rest = events.untilEnd();
        }

        assertThat(rest).extracting(StreamsApiTest::describe)
                .containsExactlyElementsOf(all.subList(4, all.size()).stream().map(StreamsApiTest::describe).toList());
        assertThat(api.get("/api/runs/" + id + "/events?after=" + all.get(3).id()).body())
                .as("?after= is the same as Last-Event-ID").startsWith("id: " + all.get(4).id() + "\n").contains("event: end");
    }

    @Test
    void followsAStepLogLiveUntilItsAttemptEnds() throws IOException {
        Path gate = root.resolve("gate");
        String id = api.trigger("ticker", "{\"params\": {\"gate\": \"" + gate + "\"}}");

        try (SseReader log = open("/api/runs/" + id + "/steps/talk/logs?follow=true", null)) {
            Frame first = log.next();
            assertThat(first.event()).isEqualTo("log");
            assertThat(first.data()).matches("\\S+Z out first");
            assertThat(json(api.get("/api/runs/" + id)).get("status").asText())
                    .as("the line came while the step was still running").isEqualTo("RUNNING");

            Files.writeString(gate, "go");
            List<Frame> rest = log.untilEnd();

            assertThat(rest.get(0).data()).endsWith(" out second");
            JsonNode end = data(rest.get(rest.size() - 1));
            assertThat(end.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(end.get("attempt").asInt()).isEqualTo(1);
        }
    }

    @Test
    void followingAStepThatHasNotStartedWaitsForItsFirstAttempt() throws IOException {
        Path gate = root.resolve("gate2");
        String id = api.trigger("ticker", "{\"params\": {\"gate\": \"" + gate + "\"}}");

        try (SseReader log = open("/api/runs/" + id + "/steps/after/logs?follow=true", null)) {
            Files.writeString(gate, "go");
            List<Frame> frames = log.untilEnd();
            assertThat(frames).extracting(Frame::event).containsExactly("log", "end");
            assertThat(frames.get(0).data()).endsWith(" out done");
        }
    }

    @Test
    void aFollowedLogOfAnEndedAttemptIsSentWholeAndCloses() {
        String id = api.trigger("hello", null);
        try (SseReader events = open("/api/runs/" + id + "/events", null)) {
            events.untilEnd();
        }
        try (SseReader log = open("/api/runs/" + id + "/steps/greet/logs?follow=true&attempt=1", null)) {
            assertThat(log.untilEnd()).extracting(Frame::data).first().asString().endsWith(" out greeting world");
        }
    }

    @Test
    void unknownRunsStepsAndBadPositionsAreJsonErrors() {
        HttpResponse<String> unknown = api.get("/api/runs/nope/events");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("message").asText()).isEqualTo("no run nope");

        String id = api.trigger("hello", null);
        HttpResponse<String> noStep = api.get("/api/runs/" + id + "/steps/nope/logs?follow=true");
        assertThat(noStep.statusCode()).isEqualTo(404);
        assertThat(json(noStep).get("message").asText()).contains("has no step 'nope'");

        HttpResponse<String> badPosition = api.send(api.request("/api/runs/" + id + "/events").header("Last-Event-ID", "x").GET());
        assertThat(badPosition.statusCode()).isEqualTo(400);
        assertThat(json(badPosition).get("error").asText()).isEqualTo("bad-query");
    }
}
