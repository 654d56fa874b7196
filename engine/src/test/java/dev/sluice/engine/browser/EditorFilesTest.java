package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * Files on disk stay the truth: a pipeline of the pipelines folder is saved back to its file after
 * a diff of what changes; a file changed on disk meanwhile shows the diff and the choice (take the
 * file's text, or overwrite it); the history shows the diff between versions.
 * Screenshots: target/screenshots/files-*.png.
 */
class EditorFilesTest extends BrowserTestBase {

    @Test
    void savesBackToItsFileAfterADiffAndAsksWhenTheFileChangedOnDisk() throws IOException {
        Path file = server.pipelinesDir().resolve("hello.yaml");
        String original = Files.readString(file);
        browser.size(1280, 800);
        open("#/pipelines/hello/edit");
        browser.wait(d -> browser.all("[data-test=node]").size() == 2);
        browser.awaitText("[data-test=editor-file]", "pipelines/hello.yaml");

        setParam("who", "sluice");
        String first = original.replace("who: world", "who: sluice");
        browser.wait(d -> yamlText().equals(first));
        browser.click("[data-test=save]");
        browser.await("[data-test=save-review] [data-test=diff-add]");
        assertThat(browser.text("[data-test=save-review] [data-test=diff-del]")).contains("who: world");
        assertThat(browser.text("[data-test=save-review] [data-test=diff-add]")).contains("who: sluice");
        browser.screenshot("files-review-before-save");
        browser.click("[data-test=save-confirm]");
        browser.awaitText("[data-test=editor-version]", "v2");
        browser.wait(d -> readQuietly(file).equals(first));
        assertThat(browser.text("[data-test=toast]")).contains("to pipelines/hello.yaml");

        // someone edits the file in a text editor while the designer has it open
        String onDisk = first.replace("times: 1", "times: 5");
        Files.writeString(file, onDisk);
        setParam("who", "designer");
        String mine = first.replace("who: sluice", "who: designer");
        browser.wait(d -> yamlText().equals(mine));
        browser.click("[data-test=save]");
        browser.click("[data-test=save-confirm]");
        browser.await("[data-test=file-changed] [data-test=diff]");
        assertThat(browser.text("[data-test=file-changed]")).contains("pipelines/hello.yaml changed on disk", "times: 5", "who: designer");
        browser.screenshot("files-changed-on-disk");
        assertThat(readQuietly(file)).isEqualTo(onDisk);

        browser.click("[data-test=take-file]");
        browser.wait(d -> yamlText().equals(onDisk));
        assertThat(readQuietly(file)).isEqualTo(onDisk);

        // the file's text, changed again here, saves over the file without a question
        setParam("who", "both");
        String both = onDisk.replace("who: sluice", "who: both");
        browser.wait(d -> yamlText().equals(both));
        browser.click("[data-test=save]");
        browser.click("[data-test=save-confirm]");
        browser.wait(d -> readQuietly(file).equals(both));

        // and overwriting, when chosen
        Files.writeString(file, both.replace("times: 5", "times: 9"));
        setParam("who", "last");
        String last = both.replace("who: both", "who: last");
        browser.wait(d -> yamlText().equals(last));
        browser.click("[data-test=save]");
        browser.click("[data-test=save-confirm]");
        browser.click("[data-test=overwrite-file]");
        browser.wait(d -> readQuietly(file).equals(last));

        browser.click("[data-test=history]");
        browser.await("[data-test=history-dialog] [data-test=diff-add]");
        browser.screenshot("files-history");
        assertThat(browser.text("[data-test=history-diff]")).contains("who: last");
        browser.click("[data-test=history-close]");
        // the two 409s answered are the only errors (the browser logs every failed request)
        assertThat(browser.consoleErrors()).allMatch(e -> e.contains("409 (Conflict)"));
    }

    private void setParam(String name, String value) {
        WebElement input = browser.wait(d -> (WebElement) browser.script(
                "for (const row of document.querySelectorAll('[data-test=field-params] .ed-map-row')) {"
                        + " const [k, v] = row.querySelectorAll('input'); if (k.value === arguments[0]) return v; } return null;", name));
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), value, Keys.TAB);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private void open(String route) {
        browser.open(route);
        if (browser.alertOpen()) browser.driver().switchTo().alert().accept();
    }

    private String yamlText() {
        Object text = browser.script("const el = document.querySelector('.CodeMirror'); return el ? el.CodeMirror.getValue() : null;");
        return text == null ? "" : text.toString();
    }
}
