package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runs list shows 50 runs, then older ones 50 at a time, each run once. */
class RunsPagingTest extends BrowserTestBase {

    @Test
    void pagesBackToTheOldestRunWithOlderRuns() {
        server.save("quick", "name: quick\nsteps:\n  - id: only\n    run: \"true\"\n");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 52; i++) ids.add(server.trigger("quick", null));
        for (String id : ids) server.awaitEnd(id);

        browser.open("#/runs?pipeline=quick");
        browser.wait(d -> browser.all("[data-test=run-row]").size() == 50);
        assertThat(rowIds()).first().isEqualTo(ids.get(51)); // newest first
        browser.click("[data-test=older]");

        browser.wait(d -> browser.all("[data-test=run-row]").size() == 52);
        assertThat(rowIds()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids).last().isEqualTo(ids.get(0));
        browser.wait(d -> !browser.find("[data-test=older]").isDisplayed()); // nothing older
    }

    private List<String> rowIds() {
        return browser.wait(d -> browser.all("[data-test=run-row]").stream().map(r -> r.getAttribute("data-id")).toList());
    }
}
