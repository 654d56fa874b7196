package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/** The pipelines page: what it lists, and starting a run through the params form. */
class PipelinesPageTest extends BrowserTestBase {

    @Test
    void listsEachPipelineWithItsDescriptionAndScheduleInWords() {
        server.save("saved", "name: saved\ndescription: Saved through the API\nsteps:\n  - id: only\n    run: echo only\n");
        browser.open("/");

        browser.await("[data-test=pipeline][data-name=saved]");
        assertThat(browser.text("[data-test=pipeline][data-name=saved]"))
                .contains("saved").contains("Saved through the API").contains("on demand");
        assertThat(browser.text("[data-test=pipeline][data-name=nightly]")).contains("every day at 03:00 Europe/Paris").contains("next in");
        browser.screenshot("pipelines");
    }

    @Test
    void pausesAndUnpausesASchedule() {
        browser.open("/");

        browser.click("[data-name=nightly] [data-test=pause]");
        browser.await("[data-name=nightly] [data-test=paused]");
        assertThat(server.get("/api/pipelines/nightly").get("paused").asBoolean()).isTrue();

        browser.click("[data-name=nightly] [data-test=unpause]");
        browser.await("[data-name=nightly] [data-test=pause]");
        assertThat(server.get("/api/pipelines/nightly").get("paused").asBoolean()).isFalse();
    }

    @Test
    void startsARunWithTheParamsOfTheFormAndOpensIt() {
        browser.open("/");

        browser.click("[data-name=hello] [data-test=run]");
        WebElement who = browser.await("[data-test=run-form] [data-test=param-who]");
        assertThat(who.getAttribute("value")).isEqualTo("world");
        assertThat(browser.attribute("[data-test=param-times]", "type")).isEqualTo("number");
        who.clear();
        who.sendKeys("browser");
        browser.screenshot("pipelines-run-form");
        browser.click("[data-test=run-submit]");

        String hash = browser.wait(d -> {
            String h = browser.script("return location.hash");
            return h.startsWith("#/runs/") ? h : null;
        });
        String id = hash.substring("#/runs/".length());
        JsonNode run = server.awaitEnd(id);
        assertThat(run.get("params").get("who").asText()).isEqualTo("browser");
        assertThat(run.get("params").get("times").asInt()).isEqualTo(1);
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
    }
}
