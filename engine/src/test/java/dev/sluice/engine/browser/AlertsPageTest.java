package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The alerts page over alerts a real run fired: a hostile message shown as text, the severity filter, the badge on the run. */
class AlertsPageTest extends BrowserTestBase {

    static final String HOSTILE = "drift <img src=x onerror=alert(1)><script>alert(2)</script>";

    String runId;

    @BeforeAll
    void fireTwoAlerts() {
        server.save("alerting", """
                name: alerting
                description: Fires two alerts when it succeeds
                steps:
                  - id: check
                    run: echo "psi_max 0.5" >> "$SLUICE_METRICS"
                alerts:
                  - when: ${{ steps.check.metrics.psi_max > 0.2 }}
                    severity: critical
                    message: "%s"
                  - when: succeeded
                    severity: info
                    message: all checks ran
                """.formatted(HOSTILE));
        runId = server.trigger("alerting", null);
        server.awaitSuccess(runId);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> server.fireEvents() >= 0 && server.get("/api/alerts?pipeline=alerting").get("alerts").size() == 2);
    }

    @Test
    void showsAHostileMessageAsText() {
        browser.size(1280, 800).open("#/alerts");
        browser.await("[data-test=alert-row][data-severity=critical]");
        assertThat(browser.text("[data-test=alert-row][data-severity=critical] [data-test=alert-message]")).isEqualTo(HOSTILE);
        assertThat(browser.attribute("[data-test=alert-row][data-severity=critical] [data-test=alert-run]", "href")).endsWith("#/runs/" + runId);
        assertThat(browser.all("[data-test=alerts] img")).isEmpty();
        assertThat(browser.all("script:not([type=module])")).isEmpty();
        assertThat(browser.alertOpen()).isFalse();
        browser.screenshot("alerts");
    }

    @Test
    void filtersBySeverity() {
        browser.open("#/alerts");
        browser.wait(d -> browser.all("[data-test=alert-row]").size() == 2);
        browser.script("const s = document.querySelector('[data-test=filter-severity]'); s.value = 'info'; s.dispatchEvent(new Event('change'));");
        browser.wait(d -> browser.all("[data-test=alert-row]").size() == 1
                && "info".equals(browser.find("[data-test=alert-row]").getAttribute("data-severity")));
        assertThat((String) browser.script("return location.hash")).isEqualTo("#/alerts?severity=info");
    }

    @Test
    void badgesTheRunOnItsPageAndInTheRunsList() {
        browser.open("#/runs/" + runId);
        browser.awaitAttribute("[data-test=run-page] [data-test=alert-badge]", "data-severity", "critical");
        assertThat(browser.text("[data-test=alert-badge]")).contains("2 alerts");
        browser.await("[data-test=node][data-id=check]");
        browser.screenshot("run-alert-badge");

        browser.open("#/runs");
        browser.await("[data-test=run-row][data-id='" + runId + "'] [data-test=alert-badge]");
        assertThat(browser.all("img")).isEmpty();
        assertThat(browser.alertOpen()).isFalse();
    }
}
