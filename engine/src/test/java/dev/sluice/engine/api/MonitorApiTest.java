package dev.sluice.engine.api;

import static dev.sluice.engine.api.ApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.expr.Expressions;
import dev.sluice.engine.trigger.EventTriggers;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Metric series, experiments, metric history and alerts over HTTP, in the contract's shapes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorApiTest {

    ApiServer api;

    @BeforeAll
    void start(@TempDir Path root) {
        api = new ApiServer(root, null, ApiServer.resource(MonitorApiTest.class, "monitor"));
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void returnsEverySeriesOfAnAttemptAndTheExperimentsTableWithMatrixVariantsAsRows() throws Exception {
        String first = api.trigger("sweep", null);
        api.awaitStatus(first, "SUCCEEDED");
        String second = api.trigger("sweep", "{\"params\": {\"seed\": 8}}");
        api.awaitStatus(second, "SUCCEEDED");

        JsonNode series = json(api.get("/api/runs/" + first + "/steps/train%5Bl2%3D0.1%5D/metrics"));
        assertThat(series.get("run_id").asText()).isEqualTo(first);
        assertThat(series.get("task_id").asText()).isEqualTo("train[l2=0.1]");
        assertThat(series.get("attempt").asInt()).isEqualTo(1);
        JsonNode loss = series.get("series").get("loss");
        assertThat(loss).hasSize(3);
        assertThat(loss.get(2).get("step").asLong()).isEqualTo(2);
        assertThat(loss.get(2).get("value").asDouble()).isEqualTo(0.7);
        assertThat(loss.get(0).get("at").asText()).isNotEmpty();
        assertThat(api.get("/api/runs/" + first + "/steps/nope/metrics").statusCode()).isEqualTo(404);

        JsonNode table = json(api.get("/api/pipelines/sweep/experiments?metrics=train.auc,accuracy&params=seed&sort=-train.auc&limit=3"));
        assertThat(table.get("pipeline").asText()).isEqualTo("sweep");
        assertThat(table.get("total").asInt()).isEqualTo(4); // 2 runs x 2 variants
        assertThat(table.get("rows")).hasSize(3);
        JsonNode top = table.get("rows").get(0);
        assertThat(top.get("task_id").asText()).isEqualTo("train[l2=1.0]");
        assertThat(top.get("matrix").get("l2").asDouble()).isEqualTo(1.0);
        assertThat(top.get("metrics").get("train.auc").asDouble()).isEqualTo(1.0);
        assertThat(top.get("metrics").get("accuracy").asDouble()).isEqualTo(0.8);
        assertThat(top.has("params")).isTrue();

        JsonNode filtered = json(api.get("/api/pipelines/sweep/experiments?metrics=train.auc&params=l2&filter=train.auc%3C0.5,seed=8"));
        assertThat(filtered.get("total").asInt()).isEqualTo(1);
        assertThat(filtered.get("rows").get(0).get("run_id").asText()).isEqualTo(second);
        assertThat(api.get("/api/pipelines/sweep/experiments?filter=nonsense").statusCode()).isEqualTo(400);
        assertThat(api.get("/api/pipelines/nope/experiments").statusCode()).isEqualTo(404);
    }

    @Test
    void listsFiredAlertsVerbatimAndChartsAMetricWithItsThresholds() throws Exception {
        String calm = api.trigger("watch", "{\"params\": {\"value\": 0.1}}");
        api.awaitStatus(calm, "SUCCEEDED");
        String hot = api.trigger("watch", "{\"params\": {\"value\": 0.9}}");
        api.awaitStatus(hot, "SUCCEEDED");
        new EventTriggers(api.store, (plan, run, tasks) -> { }, api.pipelinesDir, Clock.systemUTC(), "test", new Expressions(),
                a -> { }).poll();

        JsonNode alerts = json(api.get("/api/alerts?pipeline=watch&severity=critical"));
        assertThat(alerts.get("alerts")).hasSize(1);
        JsonNode alert = alerts.get("alerts").get(0);
        assertThat(alert.get("message").asText()).isEqualTo("<script>alert('psi 0.9')</script>");
        assertThat(alert.get("run_id").asText()).isEqualTo(hot);
        assertThat(alert.get("deliveries")).isEmpty();
        assertThat(json(api.get("/api/alerts?severity=info")).get("alerts")).isEmpty();
        assertThat(api.get("/api/alerts?severity=loud").statusCode()).isEqualTo(400);
        JsonNode report = json(api.get("/api/runs/" + hot));
        assertThat(report.get("alerts").get(0).get("severity").asText()).isEqualTo("critical");
        assertThat(json(api.get("/api/runs/" + calm)).get("alerts")).isEmpty();

        JsonNode history = json(api.get("/api/metrics?pipeline=watch&step=drift&name=psi_max"));
        assertThat(history.get("points")).extracting(p -> p.get("value").asDouble()).containsExactly(0.1, 0.9);
        assertThat(history.get("thresholds").get(0).get("op").asText()).isEqualTo(">");
        assertThat(history.get("thresholds").get(0).get("value").asDouble()).isEqualTo(0.2);
        assertThat(history.get("thresholds").get(0).get("severity").asText()).isEqualTo("critical");
        assertThat(api.get("/api/metrics?pipeline=watch").statusCode()).isEqualTo(400);

        var enabled = api.http.send(api.request("/api/channels/oncall/enable").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(enabled.statusCode()).isEqualTo(200);
        assertThat(json(enabled).get("was_disabled").asBoolean()).isFalse();
    }
}
