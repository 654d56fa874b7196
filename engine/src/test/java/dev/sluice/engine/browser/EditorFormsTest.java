package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The forms change only the lines of what they change, byte for byte: a param of
 * {@code pipelines/etl.yaml}, its schedule, and a matrix value of {@code pipelines/training.yaml}
 * (copies of them, as the designer tests keep). Screenshots: target/screenshots/forms-*.png.
 */
class EditorFormsTest extends BrowserTestBase {

    static String fixture(String name) {
        try (InputStream in = EditorFormsTest.class.getResourceAsStream("/dev/sluice/engine/designer/forms/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aParamAndTheScheduleChangeOnlyTheirLines() {
        String etl = fixture("etl.yaml");
        server.save("etl", etl);
        browser.size(1280, 800);
        open("#/pipelines/etl/edit");
        browser.wait(d -> browser.all("[data-test=node]").size() == 4);
        browser.wait(d -> yamlText().equals(etl));
        browser.await("[data-test=pipeline-panel] [data-test=field-params-value]");

        WebElement rows = mapValue("params", "rows");
        rows.sendKeys(Keys.chord(Keys.CONTROL, "a"), "5000", Keys.TAB);
        String withRows = etl.replace("  rows: 1000          # orders", "  rows: 5000          # orders");
        browser.wait(d -> yamlText().equals(withRows));

        WebElement cron = browser.find("[data-test=pipeline-panel] [data-test=field-cron]");
        cron.sendKeys(Keys.chord(Keys.CONTROL, "a"), "0 3 * * *", Keys.ENTER);
        String withSchedule = withRows.replace("defaults:\n", "schedule:\n  cron: 0 3 * * *\ndefaults:\n");
        browser.wait(d -> yamlText().equals(withSchedule));
        browser.await("[data-test=schedule-description]");

        cron = browser.find("[data-test=pipeline-panel] [data-test=field-cron]");
        cron.sendKeys(Keys.chord(Keys.CONTROL, "a"), "30 4 * * *", Keys.ENTER);
        String changedSchedule = withSchedule.replace("  cron: 0 3 * * *\n", "  cron: 30 4 * * *\n");
        browser.wait(d -> yamlText().equals(changedSchedule));
        browser.screenshot("forms-etl-param-schedule");
    }

    @Test
    void aMatrixValueChangesOnlyItsItemAndOneDotZeroStays() {
        String training = fixture("training.yaml");
        server.save("heart-disease-training", training);
        browser.size(1280, 800);
        open("#/pipelines/heart-disease-training/edit");
        browser.wait(d -> browser.all("[data-test=node]").size() == 4);
        browser.wait(d -> yamlText().equals(training));
        browser.click("[data-test=node][data-id=train]");
        browser.awaitText("[data-test=step-panel-id]", "train");

        WebElement l2 = mapValue("matrix", "l2");
        assertThat(l2.getAttribute("value")).isEqualTo("0.01, 0.1, 1.0"); // as written, not as JSON reads it
        l2.sendKeys(Keys.chord(Keys.CONTROL, "a"), "0.01, 0.5, 1.0", Keys.TAB);
        String changed = training.replace("      l2: [0.01, 0.1, 1.0]", "      l2: [0.01, 0.5, 1.0]");
        browser.wait(d -> yamlText().equals(changed));

        l2 = mapValue("matrix", "l2");
        browser.wait(d -> "0.01, 0.5, 1.0".equals(mapValue("matrix", "l2").getAttribute("value")));
        l2 = mapValue("matrix", "l2");
        l2.sendKeys(Keys.chord(Keys.CONTROL, "a"), "0.01, 0.5, 1.0, 10.0", Keys.TAB);
        String added = changed.replace("      l2: [0.01, 0.5, 1.0]", "      l2: [0.01, 0.5, 1.0, 10.0]");
        browser.wait(d -> yamlText().equals(added));
        browser.screenshot("forms-training-matrix");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    /** The value input of the row named {@code name} in a map field (params, env, matrix). */
    private WebElement mapValue(String field, String name) {
        return browser.wait(d -> (WebElement) browser.script(
                "for (const row of document.querySelectorAll('[data-test=field-' + arguments[0] + '] .ed-map-row')) {"
                        + " const [k, v] = row.querySelectorAll('input'); if (k.value === arguments[1]) return v; } return null;",
                field, name));
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
