package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The designer's editor, driven as a user would: templates dragged from the palette, edges drawn
 * from port to box, forms, the YAML view. Screenshots go to target/screenshots/editor-*.png.
 */
class EditorTest extends BrowserTestBase {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void buildsAPipelineFromABlankCanvasByDragAndDropAndFormsThenFindsItAgainAfterAReload() throws IOException {
        browser.size(1280, 800);
        open("#/new");
        browser.await("[data-test=canvas-empty]");
        browser.screenshot("editor-blank");

        type(browser.await("[data-test=pipeline-panel] [data-test=field-name]"), "etl-demo");
        browser.wait(d -> yamlText().contains("name: etl-demo"));

        dropTemplate("shell", -260, -40);
        rename("shell", "extract");
        dropTemplate("python", 0, 40);
        rename("script", "transform");
        dropTemplate("shell", 260, -40);
        rename("shell", "load");

        connect("extract", "transform");
        connect("transform", "load");
        browser.wait(d -> browser.all("[data-test=edge]").size() == 2);
        browser.click("[data-test=to-pipeline]");
        browser.screenshot("editor-built-1280");

        browser.click("[data-test=save]");
        browser.awaitText("[data-test=editor-version]", "v1");
        String saved = server.get("/api/pipelines/etl-demo").get("text").asText();
        JsonNode doc = YAML.readTree(saved);
        assertThat(doc.get("name").asText()).isEqualTo("etl-demo");
        assertThat(stepIds(doc)).containsExactly("extract", "transform", "load");
        assertThat(doc.get("steps").get(1).get("needs").get(0).asText()).isEqualTo("extract");
        assertThat(doc.get("steps").get(2).get("needs").get(0).asText()).isEqualTo("transform");
        assertThat(yamlText()).isEqualTo(saved);
        Map<String, String> boxes = boxes();

        open("#/pipelines/etl-demo/edit");
        browser.driver().navigate().refresh();
        browser.wait(d -> browser.all("[data-test=node]").size() == 3 && browser.all("[data-test=edge]").size() == 2);
        assertThat(boxes()).isEqualTo(boxes);
        browser.click("[data-test=tab-yaml]");
        browser.wait(d -> yamlText().equals(saved));
        browser.awaitText("[data-test=editor-version]", "v1");
        browser.screenshot("editor-reloaded-1280");

        browser.size(1920, 1080);
        browser.wait(d -> browser.find("[data-test=yaml-editor]").isDisplayed() && browser.find("[data-test=pipeline-panel]").isDisplayed());
        browser.click("[data-test=fit]");
        browser.screenshot("editor-reloaded-1920");
        browser.size(1280, 800);
    }

    @Test
    void theCanvasFollowsAnEditOfTheYamlText() {
        server.save("follow", """
                name: follow
                steps:
                  - id: extract
                    run: echo extract
                  - id: load
                    needs: [extract]
                    run: echo load
                """);
        browser.size(1280, 800);
        open("#/pipelines/follow/edit");
        browser.wait(d -> browser.all("[data-test=node]").size() == 2);
        browser.click("[data-test=tab-yaml]");
        browser.await("[data-test=yaml-editor]");

        typeAtEnd("  - id: publish\n    needs: [load]\n    run: echo publish\n");
        browser.wait(d -> !browser.all("[data-test=node][data-id=publish]").isEmpty());
        browser.wait(d -> !browser.all("[data-test=edge][data-from=load][data-to=publish]").isEmpty());
        assertThat(browser.text("[data-test=save-state]")).isEqualTo("Unsaved changes");

        typeAtEnd("    retries: lots\n");
        browser.await("[data-test=gutter-problem]");
        browser.wait(d -> !browser.all("[data-test=node][data-id=publish].gv-has-problem").isEmpty());
        assertThat(browser.text("[data-test=problems]")).containsIgnoringCase("retries");
        browser.screenshot("editor-yaml-problem");

        browser.click("[data-test=undo]");
        browser.wait(d -> !yamlText().contains("lots"));
        browser.wait(d -> browser.all("[data-test=gutter-problem]").isEmpty());
        browser.screenshot("editor-yaml-follows");
    }

    @Test
    void refusesAnEdgeThatMakesACycleWithTheServersMessageAtThePointer() {
        server.save("loop", """
                name: loop
                steps:
                  - id: a
                    run: echo a
                  - id: b
                    needs: [a]
                    run: echo b
                  - id: c
                    needs: [b]
                    run: echo c
                """);
        browser.size(1280, 800);
        open("#/pipelines/loop/edit");
        browser.wait(d -> browser.all("[data-test=edge]").size() == 2);
        String before = yamlText();

        connect("c", "a");

        browser.await("[data-test=pointer-message]");
        assertThat(browser.text("[data-test=pointer-message]")).contains("->");
        browser.screenshot("editor-cycle-refused");
        assertThat(browser.all("[data-test=edge]")).hasSize(2);
        assertThat(yamlText()).isEqualTo(before);
    }

    // ---- helpers ----

    private void dropTemplate(String kind, int dx, int dy) {
        int nodes = browser.all("[data-test=node]").size();
        browser.await("[data-test=palette-" + kind + "]");
        browser.gesture(b -> new Actions(b.driver()).clickAndHold(b.find("[data-test=palette-" + kind + "]"))
                .moveByOffset(12, 6).moveByOffset(40, 0)
                .moveToElement(b.find("[data-test=graph-canvas]"), dx, dy).release());
        browser.wait(d -> browser.all("[data-test=node]").size() == nodes + 1);
    }

    private void rename(String from, String to) {
        browser.await("[data-test=node][data-id=" + from + "]");
        browser.awaitText("[data-test=step-panel-id]", from);
        browser.wait(d -> {
            browser.find("[data-test=step-panel] [data-test=field-id]").sendKeys(Keys.chord(Keys.CONTROL, "a"), to, Keys.ENTER);
            return true;
        });
        browser.await("[data-test=node][data-id=" + to + "]");
    }

    private void connect(String from, String to) {
        browser.gesture(b -> {
            WebElement source = b.find("[data-test=node][data-id=" + from + "]");
            WebElement port = source.findElement(org.openqa.selenium.By.cssSelector("[data-test=port-out]"));
            WebElement target = b.find("[data-test=node][data-id=" + to + "]");
            return new Actions(b.driver()).moveToElement(source).moveToElement(port).clickAndHold()
                    .moveByOffset(30, 10).moveToElement(target).release();
        });
    }

    private void type(WebElement input, String text) {
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), text, Keys.ENTER);
    }

    /** Types at the end of the YAML view (as CodeMirror's own input does: a change of origin +input). */
    private void typeAtEnd(String text) {
        browser.script("const cm = document.querySelector('.CodeMirror').CodeMirror; cm.focus();"
                + "const end = {line: cm.lastLine(), ch: cm.getLine(cm.lastLine()).length};"
                + "cm.replaceRange(arguments[0], end, end, '+input');", text);
    }

    /** Opens a route, leaving the page before it even if it had unsaved changes. */
    private void open(String route) {
        browser.open(route);
        if (browser.alertOpen()) browser.driver().switchTo().alert().accept();
    }

    private String yamlText() {
        Object text = browser.script("const el = document.querySelector('.CodeMirror'); return el ? el.CodeMirror.getValue() : null;");
        return text == null ? "" : text.toString();
    }

    private Map<String, String> boxes() {
        return browser.wait(d -> {
            Map<String, String> out = new TreeMap<>();
            for (WebElement n : browser.all("[data-test=node]")) out.put(n.getAttribute("data-id"), n.getAttribute("transform"));
            return out;
        });
    }

    private static List<String> stepIds(JsonNode doc) {
        return java.util.stream.StreamSupport.stream(doc.get("steps").spliterator(), false).map(s -> s.get("id").asText()).toList();
    }
}
