package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/** The run view: live status of every node, a step's attempts and log, cancel; text that looks like HTML stays text. */
class RunViewTest extends BrowserTestBase {

    private void awaitEveryNode(String status) {
        browser.wait(d -> {
            List<WebElement> nodes = browser.all("[data-test=node]");
            return !nodes.isEmpty() && nodes.stream().allMatch(n -> status.equals(n.getAttribute("data-status")));
        });
    }

    @Test
    void turnsEveryNodeSucceededAndShowsTheStepsLog() {
        String id = server.trigger("hello", "{\"who\":\"viewer\"}");
        browser.size(1280, 800).open("#/runs/" + id);

        awaitEveryNode("SUCCEEDED");
        browser.awaitAttribute("[data-test=run-status]", "data-status", "SUCCEEDED");
        browser.click("[data-test=node][data-id=greet]");
        browser.awaitText("[data-test=log]", "greeting viewer");
        assertThat(browser.text("[data-test=attempts]")).contains("local@test");
        assertThat(browser.text("[data-test=metrics]")).contains("letters").contains("11");
        assertThat(browser.attribute("[data-test=output]", "href")).matches(".*/api/artifacts/[0-9a-f]{64}");
        assertThat(browser.all("[data-test=gantt] .gantt-bar")).hasSize(2);
        browser.screenshot("run-succeeded-1280");

        browser.size(1920, 1080);
        browser.screenshot("run-succeeded-1920");
        browser.size(1280, 800);
    }

    @Test
    void showsIdsLogLinesAndParamsThatLookLikeHtmlAsText() {
        String id = server.trigger("xss", null);
        browser.open("#/runs/" + id);

        awaitEveryNode("SUCCEEDED");
        assertThat(browser.attribute("[data-test=node]", "data-id")).isEqualTo("inject[who=<img src onerror>]");
        assertThat(browser.text("[data-test=node]")).startsWith("inject[who=<img");
        browser.click("[data-test=node]");
        browser.awaitText("[data-test=log]", "<img src=x onerror=alert(2)>");
        browser.awaitText("[data-test=log]", "<script>alert(4)</script>");
        assertThat(browser.text("[data-test=step-name]")).isEqualTo("inject[who=<img src onerror>]");
        browser.screenshot("run-xss");
        browser.click("[data-test=step-panel] [aria-label=Close]");
        browser.await("[data-test=params]");
        assertThat(browser.text("[data-test=params]")).contains("<img src=x onerror=alert(3)>");

        browser.open("/");
        browser.awaitText("[data-test=pipeline][data-name=xss]", "<img src=x onerror=alert(1)> shown as text");

        assertThat(browser.all("img")).isEmpty();
        assertThat(browser.all("script:not([type=module])")).isEmpty();
        assertThat(browser.alertOpen()).isFalse();
    }

    @Test
    void retriesTheFailedStepsOfAFailedRunFromItsPage(@TempDir Path scratch) {
        server.save("flaky", """
                name: flaky
                params:
                  marker: ""
                steps:
                  - id: fetch
                    run: |
                      test -f ${{ params.marker }} || { touch ${{ params.marker }}; echo "source not ready" >&2; exit 3; }
                  - id: use
                    needs: [fetch]
                    run: echo used
                """);
        String id = server.trigger("flaky", "{\"marker\":\"" + scratch.resolve("ready") + "\"}");
        browser.open("#/runs/" + id);

        browser.awaitAttribute("[data-test=run-status]", "data-status", "FAILED");
        browser.awaitAttribute("[data-test=node][data-id=use]", "data-status", "SKIPPED");
        assertThat(browser.text("[data-test=run-page] .meta")).doesNotContain("running for");
        browser.screenshot("run-failed");
        browser.click("[data-test=retry]");

        browser.awaitAttribute("[data-test=run-status]", "data-status", "SUCCEEDED");
        awaitEveryNode("SUCCEEDED");
        assertThat(browser.all("[data-test=retry]")).isEmpty();
        browser.click("[data-test=node][data-id=fetch]");
        browser.wait(d -> browser.text("[data-test=attempts]").contains("FAILED") && browser.text("[data-test=attempts]").contains("SUCCEEDED"));
        assertThat(server.run(id).get("steps").get(0).get("attempts")).extracting(a -> a.get("status").asText())
                .containsExactly("FAILED", "SUCCEEDED");
    }

    @Test
    void cancelsARunningRun() {
        String id = server.trigger("slow", null);
        browser.open("#/runs/" + id);

        browser.wait(d -> "RUNNING".equals(browser.find("[data-test=node][data-id=wait]").getAttribute("data-status")));
        browser.click("[data-test=cancel]");

        browser.awaitAttribute("[data-test=run-status]", "data-status", "CANCELLED");
        browser.await("[data-test=retry]");
        assertThat(server.run(id).get("status").asText()).isEqualTo("CANCELLED");
        browser.wait(d -> "CANCELLED".equals(browser.find("[data-test=node][data-id=wait]").getAttribute("data-status")));
        browser.screenshot("run-cancelled");
    }
}
