package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The experiments page over real runs: params and final metrics as columns, sorted by the server
 * on a header click, filtered by the filter box, paged by the server; a scatter of a param against
 * a metric; the metric's history with the pipeline's alert threshold.
 */
class ExperimentsPageTest extends BrowserTestBase {

    /** A loss per epoch (a series), a final auc that follows the epochs, an alert threshold on the auc. */
    static final String CURVE = """
            name: curve
            description: A training curve per run
            params:
              lr: 0.1
              epochs: 3
            steps:
              - id: fit
                run: |
                  echo "loss 0.9" >> "$SLUICE_METRICS"
                  echo "loss 0.${{ params.epochs }}" >> "$SLUICE_METRICS"
                  echo "loss 0.1" >> "$SLUICE_METRICS"
                  echo "auc 0.8${{ params.epochs }}" >> "$SLUICE_METRICS"
            alerts:
              - when: ${{ steps.fit.metrics.auc < 0.5 }}
                severity: critical
                message: auc collapsed
            """;

    @BeforeAll
    void runTheCurveFourTimesAndTheSweepOnce() {
        server.save("sweep", """
                name: sweep
                steps:
                  - id: train
                    matrix:
                      l2: [0.1, 0.2]
                    run: |
                      echo "loss 0.9" >> "$SLUICE_METRICS"
                      echo "loss ${{ matrix.l2 }}" >> "$SLUICE_METRICS"
                      echo "auc ${{ matrix.l2 }}" >> "$SLUICE_METRICS"
                """);
        server.awaitSuccess(server.trigger("sweep", null));
        server.save("curve", CURVE);
        for (String params : List.of("{\"epochs\":1}", "{\"epochs\":2}", "{\"epochs\":3}", "{\"epochs\":3,\"lr\":0.05}")) {
            server.awaitSuccess(server.trigger("curve", params));
        }
    }

    private List<String> column(String col) {
        return browser.all("[data-test=experiment-row] [data-col='" + col + "']").stream().map(WebElement::getText).toList();
    }

    private void awaitRows(int n) {
        browser.wait(d -> browser.all("[data-test=experiment-row]").size() == n);
    }

    private void filter(String text) {
        WebElement box = browser.find("[data-test=filter]");
        box.clear();
        box.sendKeys(text, Keys.ENTER);
    }

    @Test
    void sortsByAMetricOnTheServerWhenItsHeaderIsClicked() {
        browser.size(1280, 900).open("#/pipelines/curve/experiments");
        awaitRows(4);
        assertThat(browser.text("[data-test=experiments] thead")).contains("lr").contains("epochs").contains("fit.auc");

        browser.click("[data-test=sort][data-col='fit.auc']");
        browser.wait(d -> column("fit.auc").equals(List.of("0.83", "0.83", "0.82", "0.81")));
        assertThat(browser.attribute("th:has([data-col='fit.auc'])", "aria-sort")).isEqualTo("descending");
        assertThat((String) browser.script("return decodeURIComponent(location.hash)")).contains("sort=-fit.auc");

        browser.click("[data-test=sort][data-col='fit.auc']");
        browser.wait(d -> column("fit.auc").equals(List.of("0.81", "0.82", "0.83", "0.83")));
        browser.screenshot("experiments-sorted");
    }

    @Test
    void filtersWithTheFilterBoxAndSaysWhatItCannotRead() {
        browser.open("#/pipelines/curve/experiments");
        awaitRows(4);

        filter("epochs = 3");
        awaitRows(2);
        assertThat(column("epochs")).containsOnly("3");

        filter("epochs = 3, lr = 0.05");
        awaitRows(1);
        assertThat(column("lr")).containsExactly("0.05");

        filter("fit.auc >");
        browser.awaitText("[data-test=filter-error]", "value is missing");
        assertThat(browser.all("[data-test=experiment-row]")).hasSize(1); // nothing was asked

        filter("fit.auc > 0.815");
        awaitRows(3);
        browser.screenshot("experiments-filtered");
    }

    @Test
    void showsEachMatrixVariantAsARowAndOverlaysTheirSeries() {
        browser.open("#/pipelines/sweep/experiments");
        awaitRows(2);
        assertThat(browser.all("[data-test=experiment-row]")).extracting(r -> r.getAttribute("data-task"))
                .containsExactlyInAnyOrder("train[l2=0.1]", "train[l2=0.2]");
        assertThat(browser.text("[data-test=experiment-row][data-task='train[l2=0.2]']")).contains("l2=0.2");
        assertThat(browser.text("[data-test=experiment-row][data-task='train[l2=0.2]'] [data-col='train.auc']")).isEqualTo("0.2");
        browser.script("const s = document.querySelector('[data-test=overlay-metric]'); s.value = 'train.loss'; s.dispatchEvent(new Event('change'));");
        for (WebElement box : browser.all("[data-test=experiment-row] [data-test=pick]")) box.click();
        browser.awaitAttribute("[data-test=overlay-chart]", "data-series", "2");
        assertThat(browser.text("[data-test=overlay]")).contains("train[l2=0.1]").contains("train[l2=0.2]");
        browser.awaitAttribute("[data-test=scatter-param]", "value", "l2"); // a matrix value is a scatter axis too
        browser.awaitAttribute("[data-test=scatter-chart]", "data-points", "2");
        browser.screenshot("experiments-matrix");
    }

    @Test
    void pagesOnTheServer() {
        browser.open("#/pipelines/curve/experiments?limit=3");
        awaitRows(3);
        assertThat(browser.text("[data-test=page]")).isEqualTo("1–3 of 4");
        browser.click("[data-test=next]");
        awaitRows(1);
        assertThat(browser.text("[data-test=page]")).isEqualTo("4–4 of 4");
        browser.click("[data-test=prev]");
        awaitRows(3);
    }

    @Test
    void chartsAParamAgainstAMetricAndTheMetricsHistoryWithItsThreshold() {
        browser.open("#/pipelines/curve/experiments");
        awaitRows(4);
        browser.script("const s = document.querySelector('[data-test=scatter-param]'); s.value = 'epochs'; s.dispatchEvent(new Event('change'));"
                + "const m = document.querySelector('[data-test=scatter-metric]'); m.value = 'fit.auc'; m.dispatchEvent(new Event('change'));");
        browser.awaitAttribute("[data-test=scatter-chart]", "data-points", "4");
        browser.await("[data-test=scatter-chart] canvas");

        browser.script("const s = document.querySelector('[data-test=history-metric]'); s.value = 'fit.auc'; s.dispatchEvent(new Event('change'));");
        browser.awaitAttribute("[data-test=history-chart]", "data-points", "4");
        browser.await("[data-test=history-chart] canvas");
        assertThat(browser.attribute("[data-test=history-chart]", "data-thresholds")).isEqualTo("1");
        assertThat(browser.text("[data-test=thresholds]")).contains("0.5");
        browser.script("document.querySelector('[data-test=history]').scrollIntoView()");
        browser.screenshot("experiments-charts");
    }
}
