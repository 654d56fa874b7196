package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The run page's timeline at a hundred tasks: only the rows in view are in the DOM, scrolling
 * brings the others, and a matrix step of 20 tasks starts folded into one row that unfolds.
 * Screenshot: target/screenshots/run-timeline-*.png.
 */
class RunTimelineTest extends BrowserTestBase {

    @Test
    void showsOnlyTheRowsInViewAndFoldsAMatrixStep() {
        StringBuilder y = new StringBuilder("name: wide\nsteps:\n");
        for (int i = 0; i < 80; i++) y.append("  - id: s").append(i).append("\n    run: \"true\"\n");
        y.append("  - id: sweep\n    needs: [s0]\n    matrix:\n      x: [");
        for (int i = 0; i < 20; i++) y.append(i == 0 ? "" : ", ").append(i);
        y.append("]\n    run: \"true\"\n");
        server.save("wide", y.toString());
        String run = server.trigger("wide", null);
        server.awaitSuccess(run);

        browser.size(1280, 900);
        browser.open("#/runs/" + run);
        browser.awaitAttribute("[data-test=run-status]", "data-status", "SUCCEEDED");
        browser.await("[data-test=gantt] .gantt-spacer > .gantt-row");
        int inDom = browser.all("[data-test=gantt] .gantt-spacer > .gantt-row").size();
        assertThat(inDom).isLessThan(50);
        // the sweep's row is wherever the graph puts it: scrolled to, row by row
        browser.wait(d -> {
            if (!browser.all("[data-test=gantt] .gantt-group[data-group=sweep]").isEmpty()) return true;
            browser.script("document.querySelector('[data-test=gantt-viewport]').scrollTop += 300;");
            return false;
        });
        assertThat(browser.all("[data-test=gantt] .gantt-row[data-id^='sweep[']")).isEmpty();
        assertThat(browser.all("[data-test=gantt] .gantt-spacer > .gantt-row").size()).isLessThan(50);
        browser.screenshot("run-timeline-folded");

        browser.click("[data-test=gantt] .gantt-group[data-group=sweep] [data-test=gantt-fold]");
        browser.wait(d -> !browser.all("[data-test=gantt] .gantt-row[data-id^='sweep[']").isEmpty());
        browser.screenshot("run-timeline-unfolded");
        assertThat(browser.consoleErrors()).isEmpty();
    }
}
