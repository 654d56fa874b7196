package dev.sluice.engine.api;

import static dev.sluice.engine.api.ApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} on a real server, before and after a run. */
class MetricsApiTest {

    private static final String TOKEN = "metrics-test-token";

    @Test
    void countsARunAndItsStepsInThePrometheusText(@TempDir Path root) {
        try (ApiServer api = new ApiServer(root, TOKEN)) {
            assertThat(api.get("/metrics").statusCode()).isEqualTo(401);
            assertThat(scrape(api)).doesNotContain("sluice_runs_started_total{");

            HttpResponse<String> created = api.send(api.request("/api/pipelines/hello/runs").header("Authorization", "Bearer " + TOKEN)
                    .header("X-Sluice-Request", "1").POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
            assertThat(created.statusCode()).isEqualTo(201);
            String id = json(created).get("id").asText();
            // the run is over once the finished counter says so: the listener hears of it after the commit
            await().atMost(Duration.ofSeconds(60)).until(() -> scrape(api).contains("sluice_runs_finished_total{pipeline=\"hello\",status=\"SUCCEEDED\"} 1"));

            String text = scrape(api);
            assertThat(value(text, "sluice_runs_started_total{pipeline=\"hello\"}")).isEqualTo(1.0);
            assertThat(value(text, "sluice_step_duration_seconds_count{pipeline=\"hello\",status=\"SUCCEEDED\"}")).isEqualTo(2.0);
            assertThat(value(text, "sluice_scheduler_lag_seconds_count")).isEqualTo(2.0);
            assertThat(value(text, "sluice_steps_queued")).isZero();
            assertThat(value(text, "sluice_steps_running")).isZero();
            assertThat(text).contains("# TYPE sluice_step_duration_seconds histogram", "jvm_memory_used_bytes", "process_uptime_seconds");
            assertThat(json(api.send(api.request("/api/runs/" + id).header("Authorization", "Bearer " + TOKEN).GET()))
                    .get("status").asText()).isEqualTo("SUCCEEDED");
        }
    }

    private static String scrape(ApiServer api) {
        HttpResponse<String> r = api.send(api.request("/metrics").header("Authorization", "Bearer " + TOKEN).GET());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        return r.body();
    }

    private static double value(String scrape, String series) {
        return Arrays.stream(scrape.split("\n")).filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).split(" ")[0]))
                .findFirst().orElseThrow(() -> new AssertionError("no " + series + " in\n" + scrape));
    }
}
