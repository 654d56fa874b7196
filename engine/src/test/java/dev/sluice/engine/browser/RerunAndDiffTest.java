package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The run page's provenance over a real registry: Rerun starts a run marked rerun_of, whose header links back and to the diff of the two. */
class RerunAndDiffTest extends BrowserTestBase {

    String original;

    @BeforeAll
    void runOnce() {
        server.save("registry", ModelsPageTest.PIPELINE);
        original = server.trigger("registry", "{\"auc\":0.8}");
        server.awaitSuccess(original);
    }

    @Test
    void rerunsARunAndDiffsItWithTheOriginal() {
        browser.size(1280, 800).open("#/runs/" + original);
        browser.awaitAttribute("[data-test=run-status]", "data-status", "SUCCEEDED");
        assertThat(browser.text("[data-test=trigger]")).contains("manual");
        assertThat(browser.text("[data-test=node][data-id=register] [data-test=badge-register]")).isEqualTo("heart-disease");
        browser.click("[data-test=rerun]");

        browser.wait(d -> {
            String hash = browser.script("return location.hash");
            return hash.startsWith("#/runs/") && !hash.startsWith("#/runs/" + original);
        });
        browser.awaitText("[data-test=rerun-of]", original);
        browser.awaitAttribute("[data-test=run-status]", "data-status", "SUCCEEDED");
        String rerun = browser.<String>script("return location.hash").substring("#/runs/".length());
        assertThat(server.run(rerun).get("rerun_of").asText()).isEqualTo(original);
        browser.screenshot("run-rerun");

        browser.click("[data-test=diff-original]");
        browser.await("[data-test=diff-page]");
        browser.await("[data-test=diff-outputs]");
        assertThat(browser.text("[data-test=diff-params]")).contains("the same");
        browser.screenshot("run-diff");
    }
}
