package dev.sluice.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.engine.store.MonitorStore.ExperimentData;
import dev.sluice.engine.store.MonitorStore.MetricRow;
import dev.sluice.engine.store.MonitorStore.RunRow;
import dev.sluice.engine.store.MonitorStore.VariantRow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The experiments table, without I/O: columns, variants as rows, filters, sort with missing values last, paging. */
class ExperimentsTest {

    private static final Instant T = Instant.parse("2026-12-07T18:00:00Z");

    private static ExperimentData data() {
        List<RunRow> runs = List.of(new RunRow("r3", "FAILED", T.plusSeconds(3), Map.of("l2", 1.0)),
                new RunRow("r2", "SUCCEEDED", T.plusSeconds(2), Map.of("l2", 0.1)),
                new RunRow("r1", "SUCCEEDED", T.plusSeconds(1), Map.of("l2", 0.01)));
        List<MetricRow> metrics = List.of(
                new MetricRow("r1", "evaluate", "evaluate", Map.of(), "auc", 0.80),
                new MetricRow("r2", "evaluate", "evaluate", Map.of(), "auc", 0.91),
                new MetricRow("r2", "train[c=1]", "train", Map.of("c", 1L), "loss", 0.3),
                new MetricRow("r2", "train[c=2]", "train", Map.of("c", 2L), "loss", 0.2));
        List<VariantRow> variants = List.of(new VariantRow("r2", "train[c=1]", "train", Map.of("c", 1L)),
                new VariantRow("r2", "train[c=2]", "train", Map.of("c", 2L)));
        return new ExperimentData(runs, metrics, variants);
    }

    @Test
    void sortsByAMetricWithRunsMissingItLastAndVariantsAsRows() {
        Experiments.Table t = Experiments.build(data(), List.of("evaluate.auc", "loss"), List.of("l2"), List.of(), "-evaluate.auc", 10, 0);

        assertThat(t.total()).isEqualTo(4);
        assertThat(t.rows()).extracting(Experiments.Row::runId, Experiments.Row::taskId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("r2", "train[c=1]"), org.assertj.core.groups.Tuple.tuple("r2", "train[c=2]"),
                org.assertj.core.groups.Tuple.tuple("r1", null), org.assertj.core.groups.Tuple.tuple("r3", null));
        assertThat(t.rows().get(1).metrics()).containsEntry("evaluate.auc", 0.91).containsEntry("loss", 0.2);
        assertThat(t.rows().get(0).params()).containsOnlyKeys("l2");
    }

    @Test
    void filtersByMetricsParamsAndMatrixValuesAndPages() {
        var f = List.of(Experiments.parseFilter("loss<0.25"), Experiments.parseFilter("l2=0.1"));
        assertThat(Experiments.build(data(), List.of("loss"), List.of(), f, null, 10, 0).rows())
                .singleElement().satisfies(r -> assertThat(r.taskId()).isEqualTo("train[c=2]"));
        assertThat(Experiments.build(data(), List.of(), List.of(), List.of(Experiments.parseFilter("c>=2")), null, 10, 0).total()).isEqualTo(1);

        Experiments.Table page = Experiments.build(data(), List.of("auc"), List.of(), List.of(), "auc", 2, 1);
        assertThat(page.total()).isEqualTo(4);
        assertThat(page.rows()).extracting(Experiments.Row::runId).containsExactly("r2", "r2");
        assertThatThrownBy(() -> Experiments.parseFilter("auc")).hasMessageContaining("bad filter");
    }
}
