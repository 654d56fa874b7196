package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * Schema help in the YAML view: typing {@code retr} in a step offers {@code retries} and
 * {@code retry_delay} with their docs, from the JSON Schema the server serves; Enter takes one.
 * Screenshot: target/screenshots/schema-completion.png.
 */
class EditorSchemaTest extends BrowserTestBase {

    @Test
    void typingRetrInAStepOffersRetriesAndRetryDelayWithTheirDocs() {
        server.save("complete", """
                name: complete
                steps:
                  - id: a
                    run: echo a
                """);
        browser.size(1280, 800);
        browser.open("#/pipelines/complete/edit");
        browser.wait(d -> browser.all("[data-test=node]").size() == 1);
        browser.click("[data-test=tab-yaml]");
        browser.await("[data-test=yaml-editor]");
        browser.script("const cm = document.querySelector('.CodeMirror').CodeMirror; cm.focus();"
                + "cm.setCursor({line: cm.lastLine(), ch: 0});");
        WebElement input = browser.find(".CodeMirror textarea");
        input.sendKeys("    retr");

        List<WebElement> items = browser.wait(d -> {
            List<WebElement> l = browser.all("[data-test=completion]");
            return l.size() == 2 ? l : null;
        });
        assertThat(items.get(0).getText()).startsWith("retries");
        assertThat(items.get(1).getText()).startsWith("retry_delay");
        assertThat(items.get(1).getAttribute("title")).containsIgnoringCase("retry");
        browser.screenshot("schema-completion");

        browser.find(".CodeMirror textarea").sendKeys(Keys.ENTER, "3");
        browser.wait(d -> yamlText().endsWith("    retries: 3"));

        // hover docs: the pointer over a key shows what it does
        browser.script("const cm = document.querySelector('.CodeMirror').CodeMirror;"
                + "const c = cm.charCoords({line: cm.lastLine(), ch: 6}, 'window');"
                + "cm.getWrapperElement().dispatchEvent(new MouseEvent('mousemove', {clientX: c.left + 2, clientY: (c.top + c.bottom) / 2, bubbles: true}));");
        browser.awaitAttribute("[data-test=yaml-editor]", "data-doc", "retries");
        assertThat(browser.attribute("[data-test=yaml-editor]", "title")).startsWith("retries: ");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    private String yamlText() {
        Object text = browser.script("const el = document.querySelector('.CodeMirror'); return el ? el.CodeMirror.getValue() : null;");
        return text == null ? "" : text.toString();
    }
}
