package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runs list with its filters, and comparing runs: params and metrics side by side, a metric's chart. */
class RunsAndCompareTest extends BrowserTestBase {

    String first;
    String second;
    String third;

    @BeforeAll
    void runTrainThreeTimesAndHelloOnce() {
        first = server.trigger("train", "{\"epochs\":1}");
        second = server.trigger("train", "{\"epochs\":2}");
        third = server.trigger("train", "{\"epochs\":3,\"lr\":0.05}");
        server.trigger("hello", null);
        for (String id : List.of(first, second, third)) server.awaitEnd(id);
    }

    @Test
    void listsRunsNewestFirstAndFiltersThemByPipeline() {
        browser.open("#/runs");
        browser.wait(d -> browser.all("[data-test=run-row]").size() == 4);

        browser.script("const s = document.querySelector('[data-test=filter-pipeline]');"
                + "s.value = 'train'; s.dispatchEvent(new Event('change'));");

        browser.wait(d -> browser.all("[data-test=run-row]").size() == 3);
        List<String> ids = browser.all("[data-test=run-row]").stream().map(r -> r.getAttribute("data-id")).toList();
        assertThat(ids).containsExactly(third, second, first);
        assertThat((String) browser.script("return location.hash")).isEqualTo("#/runs?pipeline=train");
        browser.screenshot("runs");
    }

    @Test
    void comparesTheParamsAndMetricsOfTheRunsTicked() {
        browser.size(1280, 800).open("#/runs?pipeline=train");
        browser.wait(d -> browser.all("[data-test=run-row]").size() == 3);

        browser.click("[data-test=run-row][data-id='" + first + "'] [data-test=pick]");
        browser.click("[data-test=run-row][data-id='" + third + "'] [data-test=pick]");
        browser.click("[data-test=compare]");

        browser.await("[data-test=compare-params]");
        assertThat(browser.<String>wait(d -> browser.find("[data-test=compare-params]")
                .findElement(org.openqa.selenium.By.xpath(".//tr[th[text()='epochs']]")).getAttribute("data-diff")))
                .isEqualTo("true");
        browser.await("[data-test=compare-metrics]");
        assertThat(browser.text("[data-test=compare-metrics]")).contains("fit · auc").contains("0.81").contains("0.83");
        browser.await("[data-test=chart] canvas");
        assertThat(browser.attribute("[data-test=chart-metric]", "value")).isEqualTo("fit · auc");
        browser.screenshot("compare-1280");
        browser.size(1920, 1080);
        browser.screenshot("compare-1920");
        browser.size(1280, 800);
        assertThat(browser.alertOpen()).isFalse();
    }
}
