package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

/**
 * Search outside the editor: the pipeline list filters by name or description, the run page jumps
 * to a step found by part of its id, and a step's log keeps only the lines holding a text.
 * Screenshot: target/screenshots/find-log.png.
 */
class FindEverywhereTest extends BrowserTestBase {

    @Test
    void findsPipelinesStepsAndLogLines() {
        server.save("searchable", """
                name: searchable
                description: Finds needles
                steps:
                  - id: hay-maker
                    run: printf 'straw\\nneedle one\\nstraw\\nneedle two\\n'
                  - id: other
                    run: echo other
                """);
        String run = server.trigger("searchable", null);
        server.awaitSuccess(run);
        browser.size(1280, 900);

        browser.open("#/");
        browser.await("[data-test=pipeline][data-name=searchable]");
        browser.find("[data-test=pipeline-filter]").sendKeys("needles");
        browser.wait(d -> browser.all("[data-test=pipeline]").stream().filter(e -> e.isDisplayed()).count() == 1);
        assertThat(browser.find("[data-test=pipeline][data-name=searchable]").isDisplayed()).isTrue();

        browser.open("#/runs/" + run);
        browser.awaitAttribute("[data-test=run-status]", "data-status", "SUCCEEDED");
        browser.find("[data-test=run-step-find]").sendKeys("maker", Keys.ENTER);
        browser.awaitText("[data-test=step-name]", "hay-maker");
        browser.wait(d -> browser.all("[data-test=log] .line").size() >= 4);
        browser.find("[data-test=log-filter]").sendKeys("needle");
        browser.wait(d -> browser.all("[data-test=log] .line").stream().filter(e -> e.isDisplayed()).count() == 2);
        assertThat(browser.text("[data-test=log-filter-count]")).isEqualTo("2 lines");
        browser.wait(d -> browser.all("[data-test=node]").size() == 2);
        browser.screenshot("find-log");
        assertThat(browser.consoleErrors()).isEmpty();
    }
}
