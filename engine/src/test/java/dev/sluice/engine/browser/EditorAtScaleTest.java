package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

/**
 * The editor on a 2,000-step pipeline (20 chains of 100 steps): fitted, the chains are labelled by
 * group instead of drawn as grey boxes; an edit sends and receives only what changed and is undone
 * as before; the selection is one, whoever changes it. Screenshots: target/screenshots/scale-*.png.
 */
class EditorAtScaleTest extends BrowserTestBase {

    @BeforeAll
    void saveTheBigPipeline() {
        server.save("big", EditorEditBench.pipeline());
    }

    private void openBig() {
        browser.size(1600, 1000);
        browser.open("#/runs");
        if (browser.alertOpen()) browser.driver().switchTo().alert().accept();
        browser.await("main");
        browser.open("#/pipelines/big/edit");
        if (browser.alertOpen()) browser.driver().switchTo().alert().accept();
        browser.wait(d -> !browser.all("[data-test=graph].gv-far").isEmpty());
        browser.wait(d -> yamlText().contains("c19-s99"));
    }

    @Test
    void fittedFarOutTheChainsAreLabelledByGroup() {
        openBig();
        browser.find("[data-test=graph]").sendKeys("f");
        double zoom = ((Number) browser.script("return Number(document.querySelector('.gv-world').getAttribute('transform').match(/scale\\(([^)]+)\\)/)[1])")).doubleValue();
        assertThat(zoom).as("Fit on 2,000 steps is below the box labels' zoom").isLessThan(0.12);
        List<String> labels = browser.wait(d -> {
            List<String> l = browser.<List<String>>script("return [...document.querySelectorAll('[data-test=group-label]')].map((t) => t.textContent)");
            return l.isEmpty() ? null : l;
        });
        // the 20 chains lie in a band a few pixels per chain tall: as many as fit are named
        assertThat(labels).contains("c0-s… ×100").hasSizeGreaterThanOrEqualTo(3).allMatch(l -> l.matches("c\\d+-s… ×100"));
        // each label is readable: in the canvas, on screen at least 10 px tall, and none overlaps another
        assertThat(browser.<Boolean>script("""
                const c = document.querySelector('[data-test=graph-canvas]').getBoundingClientRect();
                const rs = [...document.querySelectorAll('[data-test=group-label]')].map((t) => t.getBoundingClientRect());
                return rs.every((r) => r.height >= 10 && r.left >= c.left && r.right <= c.right) && rs.every((a, i) => rs.every((b, j) => i === j
                  || a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top));
                """)).isTrue();
        browser.screenshot("scale-group-labels");
    }

    @Test
    void anEditSendsAndReceivesOnlyWhatChangedAndUndoesAsBefore() {
        openBig();
        String before = yamlText();
        jumpTo("c7-s50");
        browser.script("performance.clearResourceTimings(); performance.setResourceTimingBufferSize(1000);");
        browser.script("""
                const input = document.querySelector('[data-test=step-panel] [data-test=field-run]');
                input.value = 'echo changed'; input.dispatchEvent(new Event('input', { bubbles: true })); input.dispatchEvent(new Event('change', { bubbles: true }));
                """);
        String after = before.replace("  - id: c7-s50\n    needs: [c7-s49]\n    run: echo 50\n", "  - id: c7-s50\n    needs: [c7-s49]\n    run: echo changed\n");
        assertThat(after).isNotEqualTo(before);
        browser.wait(d -> yamlText().equals(after));
        // the answer was a few hundred bytes, not the 1 MB of the whole text, document and layout
        long received = ((Number) browser.script("""
                return performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/designer/edit'))
                  .reduce((a, e) => a + e.encodedBodySize, 0);
                """)).longValue();
        assertThat(received).isPositive().isLessThan(20_000);
        // the box shows the new command (its title says it), the others are as they were
        browser.wait(d -> browser.<Boolean>script("const t = document.querySelector('[data-test=node][data-id=\"c7-s50\"] title'); return !!t && t.textContent.includes('echo changed');"));
        browser.screenshot("scale-edited");

        browser.find("[data-test=graph]").sendKeys(Keys.chord(Keys.CONTROL, "z"));
        browser.wait(d -> yamlText().equals(before));
        browser.wait(d -> browser.<Boolean>script("const t = document.querySelector('[data-test=node][data-id=\"c7-s50\"] title'); return !!t && t.textContent.includes('echo 50');"));
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void theSelectionIsOneWhereverItIsChanged() {
        openBig();
        jumpTo("c3-s10");
        browser.await("[data-test=node][data-id=c3-s10].gv-selected");
        assertThat(browser.all("[data-test=node].gv-selected")).hasSize(1);
        // the keyboard moves it: the next box of the chain, the panel and the URL follow
        browser.find("[data-test=graph]").sendKeys(Keys.ARROW_RIGHT);
        browser.await("[data-test=node][data-id=c3-s11].gv-selected");
        browser.awaitText("[data-test=step-panel-id]", "c3-s11");
        assertThat(browser.all("[data-test=node].gv-selected")).hasSize(1);
        browser.wait(d -> browser.driver().getCurrentUrl().contains("c3-s11"));
        browser.screenshot("scale-selection");
        // Escape: nothing selected anywhere
        browser.find("[data-test=graph]").sendKeys(Keys.ESCAPE);
        browser.wait(d -> browser.all("[data-test=node].gv-selected").isEmpty());
        browser.wait(d -> browser.all("[data-test=step-panel-id]").isEmpty());
    }

    private void jumpTo(String id) {
        browser.find("[data-test=graph]").sendKeys("/");
        browser.await("[data-test=step-search]").sendKeys(id, Keys.ENTER);
        browser.awaitText("[data-test=step-panel-id]", id);
    }

    private String yamlText() {
        Object text = browser.script("const el = document.querySelector('.CodeMirror'); return el ? el.CodeMirror.getValue() : null;");
        return text == null ? "" : text.toString();
    }
}
