package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

/**
 * A large pipeline in the editor: fitted, the boxes in view keep their ids (level of detail), and
 * a step is found by a part of its id and jumped to, close enough to read.
 * Screenshots: target/screenshots/find-*.png.
 */
class EditorFindTest extends BrowserTestBase {

    @Test
    void labelsTheBoxesFarOutAndJumpsToAStepFoundByName() {
        StringBuilder y = new StringBuilder("name: many\nsteps:\n");
        for (int c = 0; c < 6; c++) {
            for (int i = 0; i < 40; i++) {
                y.append("  - id: chain").append(c).append("-step").append(i).append('\n');
                if (i > 0) y.append("    needs: [chain").append(c).append("-step").append(i - 1).append("]\n");
                y.append("    run: echo ").append(i).append('\n');
            }
        }
        server.save("many", y.toString());
        browser.size(1280, 800);
        browser.open("#/pipelines/many/edit");
        browser.wait(d -> !browser.all("[data-test=graph].gv-far").isEmpty());
        browser.script("document.querySelector('[data-test=graph]').dispatchEvent(new Event('pointerenter'))");
        // zoomed between the far view's threshold and the labels' one: ids on the boxes
        browser.wait(d -> {
            return !browser.all("[data-test=far-labels] text").isEmpty() || zoomOut();
        });
        assertThat(browser.all("[data-test=far-labels] text").get(0).getAttribute("textContent")).matches(".*[0-9]+");
        browser.screenshot("find-far-labels");

        browser.find("[data-test=graph]").sendKeys("/");
        browser.wait(d -> "step-search".equals(browser.driver().switchTo().activeElement().getAttribute("data-test")));
        browser.find("[data-test=step-search]").sendKeys("chain4-step33", Keys.ENTER);
        browser.await("[data-test=node][data-id=chain4-step33].gv-selected");
        browser.awaitText("[data-test=step-panel-id]", "chain4-step33");
        browser.screenshot("find-jumped");
    }

    /** Zooms in one notch (the fit of 240 boxes may be below the labels' zoom); false to wait on. */
    private boolean zoomOut() {
        browser.find("[data-test=graph]").sendKeys("+");
        return false;
    }
}
