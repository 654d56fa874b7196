package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.pipeline.Chains;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The run page on large runs, as a user sees it: a live run of 150 steps counts up while it runs,
 * its timeline holding only the rows in view, and a finished run of 10,000 tasks opens with its
 * matrix folded into one row, scrolls to its last row and answers a click. No timing is asserted
 * (RunViewBench measures). Screenshots: target/screenshots/run-scale-*.png.
 */
class RunAtScaleTest extends BrowserTestBase {

    @Test
    void aLiveRunCountsUpInPlaceWithOnlyTheRowsInViewDrawn() {
        StringBuilder y = new StringBuilder("name: live\nsteps:\n");
        Chains.append(y, 3, 50, i -> "\"true\"");
        server.save("live", y.toString());
        browser.size(1600, 1000);
        String id = server.trigger("live", null);
        browser.open("#/runs/" + id);
        browser.await("[data-test=run-counts]");
        browser.wait(d -> browser.<Boolean>script("return [...document.querySelectorAll('[data-test=run-counts] *')].some((b) => /succeeded\\s*[1-9]/i.test(b.textContent));"));
        browser.awaitAttribute("[data-test=run-status]", "data-status", "SUCCEEDED");
        browser.wait(d -> browser.<Boolean>script("return /succeeded\\s*150/i.test(document.querySelector('[data-test=run-counts]').textContent);"));
        long rows = browser.<Long>script("return document.querySelectorAll('[data-test=gantt] .gantt-spacer > .gantt-row').length");
        assertThat(rows).as("timeline rows in the DOM").isBetween(1L, 60L);
        assertThat(browser.consoleErrors()).isEmpty();
        browser.screenshot("run-scale-live-150");
    }

    @Test
    void aFinishedRunOfTenThousandTasksOpensFoldedScrollsAndAnswers() {
        server.save("huge", RunViewBench.tenThousand(1));
        String id = server.trigger("huge", null);
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !"RUNNING".equals(server.run(id).get("status").asText()) && !"QUEUED".equals(server.run(id).get("status").asText()));
        assertThat(server.run(id).get("status").asText()).isEqualTo("SUCCEEDED");
        browser.size(1600, 1000);
        browser.open("#/runs");
        browser.await("main");
        browser.open("#/runs/" + id);
        browser.awaitAttribute("[data-test=run-status]", "data-status", "SUCCEEDED");
        browser.await("[data-test=run-page] .gv-far-node");
        long rows = browser.<Long>script("return document.querySelectorAll('[data-test=gantt] .gantt-spacer > .gantt-row').length");
        assertThat(rows).as("rows in the DOM of a 9,901-row timeline").isBetween(1L, 80L);
        // scrolled to its end: the last chain's last step, skipped
        browser.script("const vp = document.querySelector('[data-test=gantt-viewport]'); vp.scrollTop = vp.scrollHeight;");
        browser.await("[data-test=gantt] .gantt-row[data-id='c98-s99']");
        // the matrix of 100 tasks, last, is one folded row
        browser.awaitText("[data-test=gantt] .gantt-group[data-group=sweep]", "sweep ×100");
        assertThat(browser.attribute("[data-test=gantt] .gantt-group[data-group=sweep] [data-test=gantt-fold]", "aria-expanded")).isEqualTo("false");
        assertThat(browser.text("[data-test=gantt] .gantt-row[data-id='c98-s99']")).contains("skipped");
        browser.click("[data-test=gantt] .gantt-row[data-id='c98-s99']");
        browser.wait(d -> browser.driver().getCurrentUrl().contains("step=c98-s99"));
        browser.await("[data-test=step-panel], .step-panel");
        browser.screenshot("run-scale-10000");
        assertThat(browser.consoleErrors()).isEmpty();
    }
}
