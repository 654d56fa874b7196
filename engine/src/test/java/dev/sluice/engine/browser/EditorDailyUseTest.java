package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

/**
 * The smaller things of daily use: an unknown pipeline says so cleanly, a new pipeline opens
 * without an error, a reload keeps the selected step and tab, boxes are reached with the keyboard,
 * a run page starts another run with its params, long param names wrap between words and an
 * attempt's reason is said once. Screenshots: target/screenshots/daily-*.png.
 */
class EditorDailyUseTest extends BrowserTestBase {

    @Test
    void anUnknownPipelineSaysSoAndANewOneOpensWithoutAnError() {
        browser.size(1280, 800);
        open("#/pipelines/nope/edit");
        browser.await("[data-test=editor-not-found]");
        assertThat(browser.text("[data-test=editor-not-found]")).contains("No such pipeline", "nope").doesNotContain("not-found");
        assertThat(browser.all("[data-test=editor]")).isEmpty();
        browser.screenshot("daily-not-found");

        open("#/new");
        browser.await("[data-test=canvas-empty]");
        browser.click("[data-test=tab-yaml]");
        browser.await("[data-test=yaml-editor]");
        browser.wait(d -> !browser.all(".CodeMirror").isEmpty());
        assertThat(browser.find("body").getText()).doesNotContainIgnoringCase("file is empty");
        assertThat(browser.all("[data-test=problems] li")).isEmpty();
    }

    @Test
    void aReloadKeepsTheSelectedStepAndTabAndTheKeyboardReachesTheBoxes() {
        browser.size(1280, 800);
        open("#/pipelines/hello/edit");
        browser.wait(d -> browser.all("[data-test=node]").size() == 2);
        browser.click("[data-test=node][data-id=shout]");
        browser.awaitText("[data-test=step-panel-id]", "shout");
        browser.click("[data-test=tab-yaml]");
        browser.wait(d -> browser.driver().getCurrentUrl().endsWith("#/pipelines/hello/edit?step=shout&tab=yaml"));

        browser.driver().navigate().refresh();
        browser.wait(d -> browser.all("[data-test=node]").size() == 2);
        browser.await("[data-test=node][data-id=shout].gv-selected");
        browser.awaitAttribute("[data-test=tab-yaml]", "aria-selected", "true");
        browser.click("[data-test=tab-properties]");
        browser.awaitText("[data-test=step-panel-id]", "shout");
        browser.screenshot("daily-reloaded");

        // arrows move between boxes, Enter opens the step's form, Delete removes it
        browser.find("[data-test=graph]").sendKeys(Keys.ARROW_LEFT);
        browser.await("[data-test=node][data-id=greet].gv-selected");
        browser.find("[data-test=graph]").sendKeys(Keys.ARROW_RIGHT);
        browser.await("[data-test=node][data-id=shout].gv-selected");
        browser.find("[data-test=graph]").sendKeys(Keys.ENTER);
        browser.wait(d -> "id".equals(browser.driver().switchTo().activeElement().getAttribute("name"))
                || browser.driver().switchTo().activeElement().getAttribute("data-test") != null
                && browser.driver().switchTo().activeElement().getAttribute("data-test").equals("field-id"));
        browser.find("[data-test=graph]").sendKeys(Keys.DELETE);
        browser.wait(d -> browser.all("[data-test=node]").size() == 1);
        browser.screenshot("daily-keyboard");
    }

    @Test
    void aRunPageStartsAnotherRunWithItsParamsAndSaysThingsOnce() {
        server.save("daily", """
                name: daily
                params:
                  who: world
                  a_really_long_parameter_name_that_goes_on_and_on: 1
                steps:
                  - id: hello
                    run: echo hello ${{ params.who }}
                  - id: broken
                    run: exit 1
                """);
        String run = server.trigger("daily", "{\"who\":\"sluice\"}");
        server.awaitEnd(run);
        browser.size(1280, 800);
        open("#/runs/" + run + "?step=broken");
        browser.await("[data-test=attempts] tr.sub");
        assertThat(browser.text("[data-test=attempts] tr.sub")).isEqualTo("exit code 1");

        browser.click("[data-test=step-panel] button[aria-label=Close]");
        browser.wait(d -> !browser.all("[data-test=param-name] wbr").isEmpty());
        browser.screenshot("daily-run-params");
        browser.click("[data-test=run-again]");
        browser.await("[data-test=run-dialog]");
        assertThat(browser.find("[data-test=run-param-who]").getAttribute("value")).isEqualTo("sluice");
        browser.click("[data-test=run-start]");
        browser.wait(d -> !browser.driver().getCurrentUrl().contains(run));
        String again = browser.driver().getCurrentUrl().replaceAll(".*#/runs/", "").replaceAll("[?].*", "");
        assertThat(server.awaitEnd(again).get("params").get("who").asText()).isEqualTo("sluice");
    }

    private void open(String route) {
        browser.open(route);
        if (browser.alertOpen()) browser.driver().switchTo().alert().accept();
    }
}
