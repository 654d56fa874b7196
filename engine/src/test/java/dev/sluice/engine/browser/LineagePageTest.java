package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lineage page over a real registry: a model version's graph drawn by the pipelines'
 * renderer, a colour per node type, each node opening what it names, and the cut-off marker when
 * the walk stops at its depth.
 */
class LineagePageTest extends BrowserTestBase {

    String runId;

    @BeforeAll
    void registerOneVersion() {
        server.save("registry", ModelsPageTest.PIPELINE);
        runId = server.trigger("registry", "{\"auc\":0.8}");
        server.awaitSuccess(runId);
    }

    private void openLineage() {
        browser.size(1280, 900).open("#/lineage?model=heart-disease:1");
        browser.await("[data-test=node][data-kind=model_version]");
    }

    private String hash() {
        return browser.script("return decodeURIComponent(location.hash)");
    }

    @Test
    void drawsEachKindOfNodeDistinctly() {
        openLineage();
        Set<String> kinds = browser.all("[data-test=node]").stream().map(n -> n.getAttribute("data-kind")).collect(Collectors.toSet());
        assertThat(kinds).contains("model_version", "artifact", "attempt", "run");
        String model = browser.script("return getComputedStyle(document.querySelector('[data-kind=model_version] .gv-strip')).fill");
        String run = browser.script("return getComputedStyle(document.querySelector('[data-kind=run] .gv-strip')).fill");
        assertThat(model).isNotEqualTo(run);
        assertThat(browser.all("[data-test=lineage-row]")).hasSameSizeAs(browser.all("[data-test=node]"));
        assertThat(browser.consoleErrors()).isEmpty();
        browser.screenshot("lineage");
    }

    @Test
    void opensTheModelVersionTheRunAndTheStepItsNodesName() {
        openLineage();
        browser.click("[data-test=node][data-kind=model_version]");
        browser.wait(d -> hash().equals("#/models/heart-disease/versions/1"));
        browser.await("[data-test=model-version-page]");

        openLineage();
        browser.click("[data-test=node][data-kind=run]");
        browser.wait(d -> hash().equals("#/runs/" + runId));
        browser.await("[data-test=run-page]");

        openLineage();
        browser.click("[data-test=node][data-kind=attempt]");
        browser.wait(d -> hash().startsWith("#/runs/" + runId + "?step="));
        browser.await("[data-test=step-panel]");
        assertThat(browser.alertOpen()).isFalse();
    }

    @Test
    void opensAStepsLineageFromItsPanel() {
        browser.open("#/runs/" + runId + "?step=train");
        browser.click("[data-test=step-lineage]");
        browser.wait(d -> hash().equals("#/lineage?run=" + runId + "&step=train"));
        browser.await("[data-test=lineage-row][data-kind=attempt]");
        assertThat(browser.text("[data-test=lineage-row][data-kind=attempt]")).contains("root");
    }

    @Test
    void marksWhereTheWalkWasCutOff() {
        browser.open("#/lineage?model=heart-disease:1&depth=1");
        browser.awaitText("[data-test=cut-off]", "stopped at its depth");
        browser.await("[data-test=cut]");
        assertThat(browser.all("[data-test=node] [data-test=badge-cut]")).isNotEmpty();
        browser.screenshot("lineage-cut");
    }
}
