package dev.sluice.worker.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class MetricsFileTest {

    private final MetricsFile metrics = new MetricsFile(new ObjectMapper());
    private final List<String> warnings = new ArrayList<>();

    @Test
    void readsPairsAndJsonObjectsLaterValuesOverriding() {
        Map<String, Double> m = metrics.parse("auc 0.5\n{\"auc\": 0.9, \"val.loss\": -1.5e-2}\n  rows\t5000  \r\n\nauc 0.93\n", warnings::add);

        assertThat(m).containsExactly(entry("auc", 0.93), entry("val.loss", -0.015), entry("rows", 5000.0));
        assertThat(warnings).isEmpty();
    }

    @Test
    void ignoresMalformedLinesWithAWarningEach() {
        Map<String, Double> m = metrics.parse("""
                auc NaN
                auc Infinity
                auc 0x10
                auc 1 2
                9lives 1
                {"auc": "high", "ok": 1, "bad name": 2}
                {"auc":
                [1, 2]
                acc 0.8
                """, warnings::add);

        assertThat(m).containsExactly(entry("ok", 1.0), entry("acc", 0.8));
        assertThat(warnings).containsExactly(
                "metrics line 1 ignored: value is not a finite number: auc NaN",
                "metrics line 2 ignored: value is not a finite number: auc Infinity",
                "metrics line 3 ignored: value is not a finite number: auc 0x10",
                "metrics line 4 ignored: expected `name value` or a JSON object of name -> number: auc 1 2",
                "metrics line 5 ignored: bad metric name: 9lives 1",
                "metrics line 6 ignored: value of auc is not a finite number: \"high\"",
                "metrics line 6 ignored: bad metric name: bad name",
                "metrics line 7 ignored: not a JSON object: {\"auc\":",
                "metrics line 8 ignored: bad metric name: [1, 2]");
    }

    @Test
    void reportsOnlyTheFirstWarnings() {
        Map<String, Double> m = metrics.parse("junk\n".repeat(25), warnings::add);

        assertThat(m).isEmpty();
        assertThat(warnings).hasSize(MetricsFile.MAX_WARNINGS + 1).last().isEqualTo("5 more malformed metrics entries ignored");
    }

    @Test
    void aMissingFileMeansNoMetrics(@TempDir Path temp) throws Exception {
        assertThat(metrics.read(temp.resolve("metrics"), warnings::add)).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void keepsEveryValueAsASeriesWithTheStepOfItsJsonLine() {
        java.time.Instant at = java.time.Instant.parse("2026-12-07T18:00:00Z");
        MetricsFile.Parsed p = metrics.parseSeries("""
                loss 0.9
                loss 0.7
                {"step": 10, "loss": 0.5, "acc": 0.8}
                {"loss": 0.4}
                {"step": -1, "acc": 0.9}
                """, warnings::add, at);

        assertThat(p.last()).containsEntry("loss", 0.4).containsEntry("acc", 0.9).doesNotContainKey("step");
        assertThat(p.series()).extracting(dev.sluice.worker.protocol.MetricPoint::name, dev.sluice.worker.protocol.MetricPoint::step,
                dev.sluice.worker.protocol.MetricPoint::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("loss", 0L, 0.9), org.assertj.core.groups.Tuple.tuple("loss", 1L, 0.7),
                org.assertj.core.groups.Tuple.tuple("loss", 10L, 0.5), org.assertj.core.groups.Tuple.tuple("acc", 10L, 0.8),
                org.assertj.core.groups.Tuple.tuple("loss", 11L, 0.4), org.assertj.core.groups.Tuple.tuple("acc", 11L, 0.9));
        assertThat(warnings).singleElement().asString().contains("step is not a whole number");
    }
}
