package dev.sluice.engine.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) pointed at a server:
 * open a route, find elements by CSS (interactive ones carry {@code data-test}), wait for what a
 * page shows, and save screenshots into {@code target/screenshots/<name>.png}. One per test class;
 * close it after.
 */
public final class Browser implements AutoCloseable {

    /** Debian's paths, or those scripts/test was given ({@code SLUICE_CHROMIUM}, {@code SLUICE_CHROMEDRIVER}). */
    public static final Path CHROMIUM = binary("SLUICE_CHROMIUM", "/usr/bin/chromium");
    public static final Path CHROMEDRIVER = binary("SLUICE_CHROMEDRIVER", "/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final String base;
    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private static Path binary(String env, String debian) {
        String path = System.getenv(env);
        return Path.of(path == null || path.isBlank() ? debian : path);
    }

    /** @param base the server's root URL, e.g. {@code http://127.0.0.1:41234} */
    public Browser(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        try {
            profile = Files.createTempDirectory("sluice-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--window-size=1280,800", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver started;
        try {
            started = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            deleteProfile();
            throw e;
        }
        driver = started;
        driver.manage().timeouts().scriptTimeout(WAIT);
        size(1280, 800);
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens a designer route, e.g. {@code "#/runs"} or {@code "/"}; waits for the page's module to start. */
    public Browser open(String route) {
        String url = route.startsWith("#") ? base + "/" + route : base + (route.startsWith("/") ? route : "/" + route);
        driver.get(url);
        return this;
    }

    /** Resizes the window so that the page itself (the viewport) is width x height pixels. */
    public Browser size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        long innerWidth = script("return window.innerWidth");
        long innerHeight = script("return window.innerHeight");
        if (innerWidth != width || innerHeight != height) {
            driver.manage().window().setSize(new Dimension(2 * width - (int) innerWidth, 2 * height - (int) innerHeight));
        }
        return this;
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until an element matching the selector is visible, and returns it. */
    public WebElement await(String css) {
        return wait(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /** Waits until the condition gives something other than null or false. */
    public <T> T wait(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** The text of the element matching the selector, read again if the page redrew it meanwhile. */
    public String text(String css) {
        return wait(d -> find(css).getText());
    }

    /** An attribute of the element matching the selector ("" when absent), read again if the page redrew it meanwhile. */
    public String attribute(String css, String name) {
        return wait(d -> {
            String value = find(css).getAttribute(name);
            return value == null ? "" : value;
        });
    }

    /** Waits until an element matching the selector holds the text. */
    public WebElement awaitText(String css, String text) {
        wait(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
        return find(css);
    }

    /** Waits until an element matching the selector has the attribute with that value. */
    public WebElement awaitAttribute(String css, String attribute, String value) {
        wait(ExpectedConditions.attributeToBe(By.cssSelector(css), attribute, value));
        return find(css);
    }

    /** Clicks the element once it is clickable (found again if the page redrew it meanwhile). */
    public Browser click(String css) {
        new WebDriverWait(driver, WAIT, Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    WebElement e = ExpectedConditions.elementToBeClickable(By.cssSelector(css)).apply(d);
                    if (e == null) return false;
                    e.click();
                    return true;
                });
        return this;
    }

    /**
     * Performs a mouse gesture built from elements found afresh: when the page redrew one of them
     * before the gesture ran, the buttons are released and the gesture is built and tried again.
     */
    public Browser gesture(Function<Browser, Actions> build) {
        wait(d -> {
            try {
                build.apply(this).perform();
                return true;
            } catch (StaleElementReferenceException e) {
                driver.resetInputState();
                throw e;
            }
        });
        return this;
    }

    @SuppressWarnings("unchecked")
    public <T> T script(String js, Object... args) {
        return (T) ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Whether a JavaScript alert is open (an injected {@code alert(1)} would open one). */
    public boolean alertOpen() {
        try {
            driver.switchTo().alert();
            return true;
        } catch (NoAlertPresentException e) {
            return false;
        }
    }

    /** Console errors logged by the page so far (read once: the log is drained). */
    public List<String> consoleErrors() {
        try {
            return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                    .map(LogEntry::getMessage)
                    .toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** Saves what the window shows as {@code target/screenshots/<name>.png} and returns the file. */
    public Path screenshot(String name) {
        Path dir = Path.of(System.getProperty("basedir", "."), "target", "screenshots");
        try {
            Files.createDirectories(dir);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Path to = dir.resolve(name + ".png");
            Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(shot.toPath());
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteProfile();
        }
    }

    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
