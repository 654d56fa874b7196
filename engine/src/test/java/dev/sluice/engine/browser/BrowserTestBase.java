package dev.sluice.engine.browser;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every browser test class shares: one {@link TestServer} and one {@link Browser} pointed at
 * it, started before the class's tests and closed after them. A class that sets more of the scene
 * adds its own {@code @BeforeAll}, which JUnit runs after this one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserTestBase {

    TestServer server;
    Browser browser;

    @BeforeAll
    void startServerAndBrowser(@TempDir Path root) {
        server = new TestServer(root);
        browser = new Browser(server.url());
    }

    @AfterAll
    void closeBrowserAndServer() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }
}
