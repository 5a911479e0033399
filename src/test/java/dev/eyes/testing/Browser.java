package dev.eyes.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by Debian's chromedriver through Selenium — both paths given explicitly, so
 * Selenium Manager never runs and nothing is downloaded. A fresh profile per browser. The flags are what this
 * machine needs: no sandbox (root in a container), no GPU, and no background networking (the network is closed:
 * Chromium's own connections would be refused, many at a time).
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    public final ChromeDriver driver;
    private final ChromeDriverService service;

    private Browser(ChromeDriver driver, ChromeDriverService service) {
        this.driver = driver;
        this.service = service;
    }

    /** Fails (never skips) when Chromium is missing: {@code bin/test} installs it. */
    public static void requireInstalled() {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new AssertionError(p + " is missing: the browser tests need Debian's chromium and chromium-driver"
                        + " (bin/test installs them; or: apt-get install chromium chromium-driver)");
            }
        }
    }

    public static Browser start(Path profile, int width, int height) throws Exception {
        requireInstalled();
        Files.createDirectories(profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
                "--disable-dev-shm-usage", "--disable-features=Translate,MediaRouter,OptimizationHints",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=" + width + "," + height);
        o.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        // an alert() a page might run must stay open for the test to see it, not be dismissed silently
        o.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        ChromeDriver driver = new ChromeDriver(service, o);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return new Browser(driver, service);
    }

    public <T> T await(String what, Duration limit, Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, limit, Duration.ofMillis(25));
        wait.withMessage(what);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait.until(condition);
    }

    /** Console messages since the last call. */
    public List<LogEntry> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    public void setSize(int width, int height) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
    }

    /** Writes a PNG screenshot of the viewport to {@code file}. */
    public Path screenshot(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        File f = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
