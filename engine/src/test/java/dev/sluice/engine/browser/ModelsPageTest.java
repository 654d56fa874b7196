package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The Models pages over a real registry: two training runs register versions 1 and 2 of a model
 * (2 promoted to champion); rolling champion back and forward again from the model page, with the
 * note kept in the alias history; a move refused (409) when the alias moved meanwhile; a version's
 * page.
 */
class ModelsPageTest extends BrowserTestBase {

    static final String PIPELINE = """
            name: registry
            description: Train a model and register it
            params:
              auc: 0.8
            steps:
              - id: train
                run: |
                  printf 'model auc=%s\\n' "${{ params.auc }}" > "$SLUICE_OUTPUTS/model.txt"
                  echo "auc ${{ params.auc }}" >> "$SLUICE_METRICS"
                outputs: [model.txt]
              - id: register
                needs: [train]
                register:
                  model: heart-disease
                  from: train/model.txt
                  metrics: [auc]
                  aliases: [candidate]
                  promote:
                    alias: champion
                    if: ${{ new.metrics.auc > current.metrics.auc }}
            """;

    String firstRun;
    String secondRun;

    @BeforeAll
    void registerTwoVersions() {
        server.save("registry", PIPELINE);
        firstRun = server.trigger("registry", "{\"auc\":0.8}");
        server.awaitSuccess(firstRun);
        secondRun = server.trigger("registry", "{\"auc\":0.9}");
        server.awaitSuccess(secondRun);
    }

    private int champion() {
        return server.get("/api/models/heart-disease").get("aliases").get("champion").asInt();
    }

    private void moveChampion(int version) {
        HttpResponse<String> r = server.sendJson("PUT", "/api/models/heart-disease/aliases/champion",
                "{\"version\":" + version + ",\"note\":\"set by the test\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private void choose(int version, String alias) {
        new Select(browser.find("[data-test=move-version]")).selectByValue(String.valueOf(version));
        WebElement input = browser.find("[data-test=move-alias]");
        input.clear();
        input.sendKeys(alias);
    }

    /** Opens the model page afresh (the same URL again would not even change the hash: the page would keep what it showed). */
    private void openModelPage() {
        browser.open("#/models");
        browser.open("#/models/heart-disease");
    }

    private void awaitChampionBadge(int version) {
        browser.awaitAttribute("[data-test=aliases] [data-alias=champion]", "data-version", String.valueOf(version));
    }

    @Test
    void listsTheModelWithItsLatestVersionAndAliases() {
        browser.open("#/models");
        browser.await("[data-test=model-row][data-name=heart-disease]");
        assertThat(browser.text("[data-test=model-row][data-name=heart-disease]")).contains("v2").contains("champion").contains("candidate");
        browser.screenshot("models");
        browser.click("[data-test=model-row][data-name=heart-disease] [data-test=model-link]");
        browser.await("[data-test=model-page]");
        assertThat((String) browser.script("return location.hash")).isEqualTo("#/models/heart-disease");
    }

    @Test
    void rollsChampionBackWithANoteKeptInTheHistoryThenPromotesItAgain() {
        moveChampion(2);
        openModelPage();
        awaitChampionBadge(2);
        assertThat(browser.all("[data-test=version-row]")).extracting(e -> e.getAttribute("data-version")).containsExactly("2", "1");
        assertThat(browser.text("[data-test=versions] thead")).contains("auc");
        assertThat(browser.text("[data-test=version-row][data-version='1'] [data-metric=auc]")).isEqualTo("0.8");
        assertThat(browser.attribute("[data-test=version-row][data-version='2'] [data-test=run-link]", "href")).contains("#/runs/" + secondRun);

        choose(1, "champion");
        assertThat(browser.text("[data-test=move-hint]")).contains("rolls champion back from v2");
        browser.click("[data-test=move]");
        browser.await("[data-test=move-dialog]");
        assertThat(browser.text("[data-test=move-summary]")).contains("from version 2 to version 1");
        browser.click("[data-test=confirm-move]");
        assertThat(browser.attribute("[data-test=note]", "aria-invalid")).isEqualTo("true"); // a note is required
        browser.find("[data-test=note]").sendKeys("rollback: v2 regressed on <b>new</b> data");
        assertThat(browser.attribute("[data-test=note]", "aria-invalid")).isEqualTo("false");
        browser.screenshot("model-rollback-dialog");
        browser.click("[data-test=confirm-move]");

        awaitChampionBadge(1);
        browser.awaitText("[data-test=history-row]:first-child [data-test=history-note]", "rollback: v2 regressed on <b>new</b> data");
        assertThat(browser.text("[data-test=history-row]:first-child")).contains("v2 → v1");
        JsonNode model = server.get("/api/models/heart-disease");
        assertThat(model.get("aliases").get("champion").asInt()).isEqualTo(1);
        assertThat(model.get("history").toString()).contains("rollback: v2 regressed on <b>new</b> data");
        browser.screenshot("model-rolled-back");

        browser.click("[data-test=version-row][data-version='2'] [data-test=promote-version]");
        browser.awaitAttribute("[data-test=move-version]", "value", "2");
        browser.click("[data-test=move]");
        browser.await("[data-test=note]").sendKeys("v2 fixed");
        browser.click("[data-test=confirm-move]");
        awaitChampionBadge(2);
        browser.awaitText("[data-test=history-row]:first-child [data-test=history-note]", "v2 fixed");
        assertThat(browser.all("b")).isEmpty();
        assertThat(browser.alertOpen()).isFalse();
    }

    @Test
    void refusesAMoveWhenTheAliasMovedMeanwhileAndShowsWhereItIsNow() {
        moveChampion(2);
        openModelPage();
        awaitChampionBadge(2);

        moveChampion(1); // someone else, behind the page's back

        choose(1, "champion");
        browser.click("[data-test=move]");
        browser.await("[data-test=note]").sendKeys("promote v1");
        browser.click("[data-test=confirm-move]");

        browser.awaitText("[data-test=conflict]", "champion is at version 1");
        awaitChampionBadge(1); // the page reloaded the model
        assertThat(champion()).isEqualTo(1);
        browser.screenshot("model-conflict");
    }

    @Test
    void showsAVersionWithWhatMadeItItsMetricsCodeAndDownload() {
        browser.open("#/models/heart-disease/versions/1");
        browser.await("[data-test=model-version-page]");
        browser.awaitText("[data-test=made-by]", firstRun);
        assertThat(browser.text("[data-test=version-metrics]")).contains("auc").contains("0.8");
        assertThat(browser.text("[data-test=version-params]")).contains("auc");
        browser.await("[data-test=code]");
        assertThat(browser.attribute("[data-test=download]", "href")).endsWith("/api/models/heart-disease/versions/1/content");
        browser.screenshot("model-version");
        browser.click("[data-test=made-by] [data-test=run-link]");
        browser.await("[data-test=run-page]");
        assertThat((String) browser.script("return location.hash")).startsWith("#/runs/" + firstRun);
    }
}
