package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The designer's shell: the top bar, routing, the not-found page, and the WebJars it loads. */
class ShellTest extends BrowserTestBase {

    @Test
    void opensTheDesignerWithItsTopBar() {
        browser.open("/");

        browser.await("[data-test=nav-pipelines][aria-current=page]");
        assertThat(browser.text("[data-test=nav-runs]")).isEqualTo("Runs");
        assertThat(browser.text("[data-test=nav-new]")).isEqualTo("New pipeline");
        assertThat(browser.text("[data-test=nav-models]")).isEqualTo("Models");
        assertThat(browser.text("[data-test=nav-alerts]")).isEqualTo("Alerts");
        browser.screenshot("shell-home");
    }

    @Test
    void showsANotFoundPageForAnUnknownRoute() {
        browser.open("#/no/such/page");

        assertThat(browser.await("[data-test=not-found]").getText()).contains("Page not found").contains("#/no/such/page");
        browser.screenshot("shell-not-found");
    }

    @Test
    void asksForTheTokenOfAServerThatNeedsOneAndSendsIt(@TempDir Path other) {
        try (TestServer guarded = new TestServer(other, "s3cret-token")) {
            browser.driver().get(guarded.url() + "/");

            browser.await("[data-test=token-dialog] [data-test=token-input]").sendKeys("s3cret-token");
            browser.screenshot("shell-token");
            browser.click("[data-test=token-save]");

            browser.await("[data-test=pipeline][data-name=hello]");
            assertThat((String) browser.script("return localStorage.getItem('sluice.token')")).isEqualTo("s3cret-token");
            browser.script("localStorage.clear()");
        }
    }

    @Test
    void servesTheBrowserLibrariesFromTheirWebJars() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] {"/webjars/codemirror/5.65.16/lib/codemirror.js",
                "/webjars/codemirror/5.65.16/mode/yaml/yaml.js", "/webjars/uplot/1.6.30/dist/uPlot.esm.js",
                "/webjars/uplot/1.6.30/dist/uPlot.min.css"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
        }
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/webjars/nope/1/x.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }
}
