package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Metric series drawn with uPlot: a step's loss curve in the run page's step panel, two runs' curves overlaid on the experiments page. */
class MetricSeriesChartsTest extends BrowserTestBase {

    String first;
    String second;

    @BeforeAll
    void runTheCurveTwice() {
        server.save("curve", ExperimentsPageTest.CURVE);
        first = server.trigger("curve", "{\"epochs\":2}");
        second = server.trigger("curve", "{\"epochs\":5}");
        server.awaitSuccess(first);
        server.awaitSuccess(second);
    }

    @Test
    void drawsEachSeriesOfAStepInItsPanel() {
        browser.size(1280, 900).open("#/runs/" + first + "?step=fit");
        browser.await("[data-test=step-panel]");
        browser.awaitAttribute("[data-test=series-chart][data-name=loss]", "data-points", "3");
        browser.await("[data-test=series-chart][data-name=loss] canvas");
        assertThat(browser.text("[data-test=series-chart][data-name=loss]")).contains("loss");
        browser.await("[data-test=node][data-id=fit]");
        assertThat(browser.consoleErrors()).isEmpty();
        browser.screenshot("step-series");
    }

    @Test
    void overlaysTheSeriesOfTwoTickedRuns() {
        browser.size(1280, 900).open("#/pipelines/curve/experiments");
        browser.wait(d -> browser.all("[data-test=experiment-row]").size() == 2);
        browser.script("const s = document.querySelector('[data-test=overlay-metric]'); s.value = 'fit.loss'; s.dispatchEvent(new Event('change'));");
        browser.click("[data-test=experiment-row][data-run='" + first + "'] [data-test=pick]");
        browser.click("[data-test=experiment-row][data-run='" + second + "'] [data-test=pick]");
        browser.awaitAttribute("[data-test=overlay-chart]", "data-series", "2");
        browser.await("[data-test=overlay-chart] canvas");
        assertThat(browser.text("[data-test=overlay]")).contains(first).contains(second);
        browser.script("document.querySelector('[data-test=overlay]').scrollIntoView()");
        browser.screenshot("series-overlay");
    }
}
