package dev.eyes.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.eyes.app.Observer;
import dev.eyes.config.ConfigLoader;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MessageType;
import dev.eyes.event.Severity;
import dev.eyes.rule.Trigger;
import dev.eyes.source.Platform;
import dev.eyes.source.RestartPolicy;
import dev.eyes.store.AlertRecord;
import dev.eyes.store.AnalysisStatus;
import dev.eyes.store.Database;
import dev.eyes.store.SqliteAlertStore;
import dev.eyes.testing.AlertFixtures;
import dev.eyes.testing.Answers;
import dev.eyes.testing.Await;
import dev.eyes.testing.Browser;
import dev.eyes.testing.FakeLlmServer;
import dev.eyes.testing.Sql;
import dev.eyes.analysis.Insight;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in Debian's Chromium (headless, through Debian's chromedriver), against the real observer: a
 * tailed log file, a fake Ollama on 127.0.0.1 that streams its answers, a real SQLite file. Hostile log text is
 * shown literally and runs nothing; a new trigger appears without a reload; Analyze now streams the model's text
 * and ends analysed; resolve, acknowledge and silence work from the page (and by keyboard); another site cannot
 * make changes. Screenshots for people go to {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
    static final String XSS_IMG = "<img src=x onerror=alert(1)>";
    static final String XSS_SCRIPT = "</script><script>alert(2)</script>";
    static final Path SHOTS = Path.of("target", "screenshots");
    static final String MODEL_TAGS = "{\"models\":[{\"name\":\"llama3:latest\",\"model\":\"llama3:latest\"}]}";

    Browser browser;
    @TempDir
    Path dir;
    FakeLlmServer llm;
    Observer observer;
    String base;
    Path log;
    Path db;
    /** The Ollama address the observer is given (the fake server unless a test says otherwise). */
    String endpoint;

    @BeforeAll
    void startBrowser(@TempDir Path profile) throws Exception {
        browser = Browser.start(profile.resolve("chromium-profile"), 1280, 1000);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        llm = new FakeLlmServer();
        llm.onGet(FakeLlmServer.status(200, MODEL_TAGS));
        log = dir.resolve("app.log");
        Files.writeString(log, "");
        db = dir.resolve("eyes.db");
        endpoint = llm.url();
    }

    @AfterEach
    void tearDown() {
        if (browser != null) {
            browser.driver.get("about:blank");
            browser.console();
            browser.setSize(1280, 1000);
        }
        if (observer != null) {
            observer.stop(Duration.ofSeconds(5));
        }
        llm.close();
    }

    /** Seeds the database, then starts the observer with its dashboard on a free port. */
    void start(Consumer<AlertFixtures> seed, String extraToml) throws Exception {
        AlertFixtures fx = new AlertFixtures(db);
        seed.accept(fx);
        fx.assessments.close();
        String toml = """
                [logging]
                sources = ["none"]
                [[logging.files]]
                path = "%s"
                format = "plain"
                [triggers]
                error_threshold = 1
                cooldown_seconds = 1
                [ai]
                backend = "ollama"
                endpoint = "%s"
                model = "llama3"
                max_attempts = 1
                [storage]
                database_path = "%s"
                [web]
                bind_address = "127.0.0.1:0"
                %s
                """.formatted(log, endpoint, db, extraToml);
        observer = new Observer(ConfigLoader.parse(toml, null, Map.of()).config(), new Observer.Options(false),
                Platform.LINUX, RestartPolicy.DEFAULT);
        observer.start();
        base = "http://127.0.0.1:" + observer.web().address().getPort();
    }

    void start(Consumer<AlertFixtures> seed) throws Exception {
        start(seed, "[metrics]\nenabled = false\ndisk_enabled = false");
    }

    static Consumer<AlertFixtures> none() {
        return fx -> {
        };
    }

    interface Seed {
        void run(AlertFixtures fx) throws Exception;
    }

    static Consumer<AlertFixtures> seed(Seed s) {
        return fx -> {
            try {
                s.run(fx);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    void append(String lines) throws Exception {
        Files.writeString(log, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Appends error lines until the observer has stored a trigger from them; returns its id. */
    long trigger(String text) throws Exception {
        long before = Sql.count(db, "SELECT COUNT(*) FROM alert_candidates");
        Await.untilTrue("a trigger stored", Duration.ofSeconds(20), () -> {
            if (Sql.count(db, "SELECT COUNT(*) FROM alert_candidates") > before) {
                return true;
            }
            append("error: " + text + " refused\nerror: " + text + " timed out\n");
            long end = System.nanoTime() + 600_000_000L;
            while (System.nanoTime() < end) {
                if (Sql.count(db, "SELECT COUNT(*) FROM alert_candidates") > before) {
                    return true;
                }
                Thread.sleep(10);
            }
            return false;
        });
        return ((Number) Sql.query(db, "SELECT MAX(id) AS id FROM alert_candidates").getFirst().get("id"))
                .longValue();
    }

    AnalysisStatus status(long id) throws Exception {
        return AnalysisStatus.parse((String) Sql.query(db, "SELECT analysis_status FROM alert_candidates WHERE id = "
                + id).getFirst().get("analysis_status"));
    }

    AlertRecord record(long id) throws Exception {
        try (SqliteAlertStore s = new SqliteAlertStore(Database.open(db))) {
            return s.getAlert(id);
        }
    }

    By row(long id) {
        return By.cssSelector("tr.row[data-id='" + id + "']");
    }

    WebElement awaitRow(long id, Duration limit) {
        return browser.await("row " + id + " on the page", limit, d -> {
            List<WebElement> r = d.findElements(row(id));
            return r.isEmpty() || !r.getFirst().isDisplayed() ? null : r.getFirst();
        });
    }

    WebElement expand(long id) {
        browser.await("clicked open " + id, Duration.ofSeconds(10), d -> {
            d.findElement(By.cssSelector("tr.row[data-id='" + id + "'] .expander")).click();
            return true;
        });
        return browser.await("details of " + id, Duration.ofSeconds(10),
                d -> d.findElements(By.cssSelector("#detail-" + id + " .panel")).isEmpty() ? null
                        : d.findElement(By.id("detail-" + id)));
    }

    WebElement button(long id, String action) {
        return browser.driver.findElement(By.cssSelector("#detail-" + id + " [data-action='" + action + "']"));
    }

    List<LogEntry> consoleErrors() {
        return browser.console().stream().filter(e -> e.getLevel().intValue() >= java.util.logging.Level.WARNING
                .intValue()).toList();
    }

    void assertNoDialog() {
        assertThatThrownBy(() -> browser.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    void open(String path) {
        browser.console(); // forget what earlier pages logged
        browser.driver.get(base + path);
        browser.await("the live feed connected", Duration.ofSeconds(10),
                d -> "live".equals(d.findElement(By.id("feed")).getAttribute("data-state")) ? true : null);
    }

    // ---- tests ----------------------------------------------------------------------------------------------

    @Test
    void hostileLogTextIsShownLiterallyAndRunsNothing() throws Exception {
        long[] id = new long[1];
        start(seed(fx -> {
            Instant at = Instant.now().minusSeconds(30);
            Trigger t = new Trigger(at, "CrashDetectionRule", "web.service/" + XSS_IMG, Severity.CRITICAL,
                    "Rule 'CrashDetectionRule' triggered: " + XSS_SCRIPT, List.of(
                    new LogEvent(at, MessageType.ERROR, "web.service", "daemon", "<b>proc</b>", 7, XSS_IMG),
                    new LogEvent(at, MessageType.FAULT, "web.service", "daemon", "proc", 7, XSS_SCRIPT)),
                    List.of(), List.of());
            id[0] = fx.record(t);
            fx.analyze(id[0], new Insight(XSS_IMG + " " + XSS_SCRIPT, "<script>alert(3)</script>",
                    List.of("<img src=x onerror=alert(4)>"), List.of("<svg onload=alert(5)>"), "high", "medium",
                    List.of("<iframe src=javascript:alert(6)>"), Severity.CRITICAL));
        }));
        open("/");
        WebElement r = awaitRow(id[0], Duration.ofSeconds(10));
        // count CSP violations from here on: markup that got parsed as HTML would trip them
        browser.driver.executeScript("window.__violations = []; document.addEventListener('securitypolicyviolation',"
                + " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));");
        assertThat(r.findElement(By.cssSelector(".summary")).getText()).isEqualTo(XSS_IMG + " " + XSS_SCRIPT);
        assertThat(r.findElement(By.cssSelector(".where")).getText()).contains("web.service/" + XSS_IMG);
        WebElement detail = expand(id[0]);
        List<String> messages = detail.findElements(By.cssSelector("table.logs td.msg")).stream()
                .map(WebElement::getText).toList();
        assertThat(messages).containsExactly(XSS_IMG, XSS_SCRIPT);
        assertThat(detail.findElement(By.cssSelector("table.logs")).getText()).contains("<b>proc</b> · 7");
        assertThat(detail.getText()).contains("<script>alert(3)</script>", "<img src=x onerror=alert(4)>",
                "<svg onload=alert(5)>", "<iframe src=javascript:alert(6)>", "Rule 'CrashDetectionRule' triggered: "
                        + XSS_SCRIPT);
        Thread.sleep(500); // let anything that would run, run
        assertNoDialog();
        assertThat(browser.driver.findElements(By.cssSelector("img, iframe, main script, main svg[onload], b")))
                .isEmpty();
        assertThat(((Number) browser.driver.executeScript("return document.scripts.length")).intValue()).isEqualTo(1);
        assertThat((List<?>) browser.driver.executeScript("return window.__violations")).isEmpty();
        assertThat(consoleErrors()).isEmpty();
        browser.screenshot(SHOTS.resolve("hostile-text.png"));
    }

    @Test
    void aNewTriggerAppearsInTheOpenPageWithin2sWithoutAReload() throws Exception {
        llm.always(FakeLlmServer.ollamaStream(Duration.ofMillis(100), "stop", Answers.GOOD));
        start(none());
        open("/");
        browser.await("the empty state", Duration.ofSeconds(10),
                d -> d.findElement(By.tagName("main")).getText().contains("All quiet for now") ? true : null);
        browser.driver.executeScript("window.__sameDocument = 'yes';");
        long id = trigger("upstream");
        long stored = System.nanoTime();
        awaitRow(id, Duration.ofSeconds(2));
        long shown = System.nanoTime();
        assertThat(Duration.ofNanos(shown - stored)).isLessThan(Duration.ofSeconds(2));
        assertThat(browser.driver.executeScript("return window.__sameDocument")).isEqualTo("yes");
        // and it follows its analysis to the end, still without a reload
        browser.await("analysed on the page", Duration.ofSeconds(20), d -> d.findElement(row(id))
                .findElement(By.cssSelector(".an")).getText().equals("Analyzed") ? true : null);
        assertThat(browser.driver.findElement(row(id)).getText()).contains("nginx cannot reach its upstream");
        assertThat(browser.driver.findElement(By.cssSelector(".counter.c-all .n")).getText()).isEqualTo("1");
        assertThat(consoleErrors()).isEmpty();
        System.out.printf("new trigger: stored → shown in %d ms%n", (shown - stored) / 1_000_000);
    }

    @Test
    void analyzeNowOnAFailedAlertStreamsItsTextThenShowsItAnalyzed() throws Exception {
        // the first analysis fails for good (a 400 is not retried); the manual one streams for about 3 s
        String[] pieces = new String[12];
        int size = (Answers.GOOD.length() + pieces.length - 1) / pieces.length;
        for (int i = 0; i < pieces.length; i++) {
            pieces[i] = Answers.GOOD.substring(Math.min(Answers.GOOD.length(), i * size),
                    Math.min(Answers.GOOD.length(), (i + 1) * size));
        }
        llm.then(FakeLlmServer.status(400, "{\"error\":\"model failed to load\"}"))
                .always(FakeLlmServer.ollamaStream(Duration.ofMillis(250), "stop", pieces));
        start(none());
        long id = trigger("upstream");
        Await.untilTrue("analysis failed", Duration.ofSeconds(20), () -> status(id) == AnalysisStatus.FAILED);
        open("/");
        awaitRow(id, Duration.ofSeconds(10));
        assertThat(browser.driver.findElement(row(id)).findElement(By.cssSelector(".an")).getText())
                .isEqualTo("Failed");
        WebElement detail = expand(id);
        browser.await("the failure shown", Duration.ofSeconds(10), d -> detail.getText().contains("model failed to load")
                ? true : null);
        button(id, "analyze").click();
        browser.await("the row shows it running", Duration.ofSeconds(10), d -> {
            String t = d.findElement(row(id)).findElement(By.cssSelector(".an")).getText();
            return t.equals("Analyzing…") || t.equals("Pending") ? t : null;
        });
        String partial = browser.await("streamed text on the page", Duration.ofSeconds(10), d -> {
            List<WebElement> pre = d.findElements(By.cssSelector("#detail-" + id + " pre.stream"));
            return pre.isEmpty() || !pre.getFirst().getText().contains("\"summary\"") ? null : pre.getFirst().getText();
        });
        AnalysisStatus meanwhile = status(id);
        assertThat(meanwhile).isEqualTo(AnalysisStatus.PENDING); // the text shows while it is still running
        assertThat(Answers.GOOD).startsWith(partial.strip().substring(0, Math.min(partial.strip().length(), 20)));
        assertThat(browser.driver.findElement(By.cssSelector("#detail-" + id + " .live-head")).getText())
                .startsWith("Analyzing with ollama (llama3)");
        browser.screenshot(SHOTS.resolve("analysis-streaming.png"));
        browser.await("analysed", Duration.ofSeconds(20), d -> d.findElement(row(id)).findElement(By.cssSelector(".an"))
                .getText().equals("Analyzed") ? true : null);
        WebElement done = browser.await("the assessment shown", Duration.ofSeconds(10), d -> {
            List<WebElement> a = d.findElements(By.cssSelector("#detail-" + id + " .assessment .lead"));
            return a.isEmpty() ? null : a.getFirst();
        });
        assertThat(done.getText()).isEqualTo("nginx cannot reach its upstream");
        assertThat(browser.driver.findElements(By.cssSelector("#detail-" + id + " pre.stream"))).isEmpty();
        assertThat(status(id)).isEqualTo(AnalysisStatus.ANALYZED);
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void resolveAcknowledgeAndSilenceFromThePageAlsoByKeyboard() throws Exception {
        long[] ids = new long[2];
        start(seed(fx -> {
            ids[0] = fx.analyzed("ErrorFrequencyRule", "nginx.service/nginx", Severity.WARNING,
                    Instant.now().minusSeconds(120), "connect() failed (111: Connection refused)").candidateId();
            ids[1] = fx.analyzed("CrashDetectionRule", "db.service/postgres", Severity.CRITICAL,
                    Instant.now().minusSeconds(60), "postgres: segfault").candidateId();
        }));
        open("/");
        awaitRow(ids[0], Duration.ofSeconds(10));
        expand(ids[0]);

        // acknowledge, with a note
        button(ids[0], "acknowledge").click();
        WebElement dlg = browser.await("the dialog", Duration.ofSeconds(5), d -> d.findElement(By.cssSelector(
                "dialog.modal[open]")));
        dlg.findElement(By.tagName("textarea")).sendKeys("looking into it");
        dlg.findElement(By.cssSelector("button[type=submit]")).click();
        browser.await("acknowledged on the page", Duration.ofSeconds(10), d -> d.findElement(row(ids[0])).getText()
                .contains("Acknowledged") ? true : null);
        AlertRecord acked = record(ids[0]);
        assertThat(acked.acknowledgedBy()).isEqualTo("dashboard");
        assertThat(acked.acknowledgementNote()).isEqualTo("looking into it");

        // silence like this: prefilled with its rule and source
        browser.await("details again", Duration.ofSeconds(10), d -> d.findElements(By.cssSelector(
                "#detail-" + ids[0] + " [data-action='silence']")).isEmpty() ? null : true);
        button(ids[0], "silence").click();
        dlg = browser.await("the silence dialog", Duration.ofSeconds(5), d -> d.findElement(By.cssSelector(
                "dialog.modal[open]")));
        assertThat(dlg.findElement(By.name("rule")).getAttribute("value")).isEqualTo("ErrorFrequencyRule");
        assertThat(dlg.findElement(By.name("source")).getAttribute("value")).isEqualTo("nginx.service/nginx");
        assertThat(dlg.findElement(By.name("process")).getAttribute("value")).isEqualTo("nginx");
        dlg.findElement(By.name("process")).clear();
        new org.openqa.selenium.support.ui.Select(dlg.findElement(By.name("duration"))).selectByValue("1d");
        browser.screenshot(SHOTS.resolve("silence-dialog.png"));
        dlg.findElement(By.cssSelector("button[type=submit]")).click();
        browser.await("the toast", Duration.ofSeconds(10), d -> d.findElement(By.id("toast")).getText()
                .startsWith("Silence 1 created") ? true : null);
        JsonNode silences = tools.jackson.databind.json.JsonMapper.builder().build().readTree(
                new java.net.URI(base + "/api/silences").toURL().openStream());
        assertThat(silences.size()).isEqualTo(1);
        assertThat(silences.get(0).get("rule").asString()).isEqualTo("ErrorFrequencyRule");
        assertThat(silences.get(0).get("source").asString()).isEqualTo("nginx.service/nginx");
        assertThat(silences.get(0).get("process").isNull()).isTrue();
        assertThat(Duration.between(Instant.parse(silences.get(0).get("starts_at").asString()),
                Instant.parse(silences.get(0).get("ends_at").asString()))).isEqualTo(Duration.ofDays(1));

        // resolve the other one by keyboard only: focus its row, Enter opens it, Enter on Resolve…, type, Enter
        WebElement expander = browser.driver.findElement(By.cssSelector("tr.row[data-id='" + ids[1] + "'] .expander"));
        browser.driver.executeScript("arguments[0].focus()", expander);
        expander.sendKeys(Keys.ENTER);
        browser.await("opened by keyboard", Duration.ofSeconds(10), d -> "true".equals(d.findElement(By.cssSelector(
                "tr.row[data-id='" + ids[1] + "'] .expander")).getAttribute("aria-expanded"))
                && !d.findElements(By.cssSelector("#detail-" + ids[1] + " [data-action='resolve']")).isEmpty()
                ? true : null);
        WebElement resolve = button(ids[1], "resolve");
        browser.driver.executeScript("arguments[0].focus()", resolve);
        resolve.sendKeys(Keys.ENTER);
        dlg = browser.await("the resolve dialog", Duration.ofSeconds(5), d -> d.findElement(By.cssSelector(
                "dialog.modal[open]")));
        // Escape closes it and gives the focus back
        browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.await("closed", Duration.ofSeconds(5), d -> d.findElements(By.cssSelector("dialog.modal[open]"))
                .isEmpty() ? true : null);
        assertThat(browser.driver.switchTo().activeElement().getAttribute("data-action")).isEqualTo("resolve");
        browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        dlg = browser.await("the resolve dialog again", Duration.ofSeconds(5), d -> d.findElement(By.cssSelector(
                "dialog.modal[open]")));
        WebElement area = browser.driver.switchTo().activeElement();
        assertThat(area.getTagName()).isEqualTo("textarea");
        area.sendKeys("restarted postgres; it stays up");
        area.sendKeys(Keys.TAB); // Cancel
        browser.driver.switchTo().activeElement().sendKeys(Keys.TAB); // Resolve
        assertThat(browser.driver.switchTo().activeElement().getText()).isEqualTo("Resolve");
        browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.await("the resolved alert leaves the open list", Duration.ofSeconds(10),
                d -> d.findElements(row(ids[1])).isEmpty() ? true : null);
        AlertRecord resolved = record(ids[1]);
        assertThat(resolved.resolutionStatus()).isEqualTo("resolved");
        assertThat(resolved.agentReviews()).anySatisfy(rv -> {
            assertThat(rv.reviewType()).isEqualTo("resolution");
            assertThat(rv.body()).isEqualTo("restarted postgres; it stays up");
        });
        assertThat(record(ids[0]).resolutionStatus()).isEqualTo("open");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void anotherSitesPageCannotResolveAnAlert() throws Exception {
        long[] id = new long[1];
        start(seed(fx -> id[0] = fx.analyzed("CrashDetectionRule", "app.service/app", Severity.CRITICAL,
                Instant.now().minusSeconds(60), "app: segfault").candidateId()));
        assertThat(id[0]).isEqualTo(1);
        String target = base + "/api/alerts/1/resolve";
        String page = """
                <!doctype html><html><body>
                <form id="f" method="POST" action="%1$s" enctype="text/plain">
                <input name='{"resolution":"pwned","x":"' value='"}'></form>
                <p id="out">running</p>
                <script>
                window.results = {};
                fetch('%1$s', {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'},
                    body: '{"resolution":"pwned by a simple request"}'})
                  .then(r => results.simple = 'sent ' + r.type).catch(e => results.simple = 'error ' + e.name);
                fetch('%1$s', {method: 'POST', headers: {'Content-Type': 'application/json'},
                    body: '{"resolution":"pwned by a json request"}'})
                  .then(r => results.json = 'status ' + r.status).catch(e => results.json = 'blocked ' + e.name);
                </script></body></html>""".formatted(target);
        HttpServer evil = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        evil.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        List<String> seen = new ArrayList<>();
        evil.createContext("/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            byte[] b = page.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        evil.start();
        try {
            // another origin: localhost on another port (and another host name than the dashboard's)
            browser.driver.get("http://localhost:" + evil.getAddress().getPort() + "/");
            browser.await("both requests settled", Duration.ofSeconds(10), d -> browser.driver.executeScript(
                    "return window.results && window.results.simple && window.results.json ? true : null"));
            @SuppressWarnings("unchecked")
            Map<String, Object> results = (Map<String, Object>) browser.driver.executeScript("return window.results");
            // the JSON request needs a CORS preflight the dashboard never grants: it is never sent
            assertThat((String) results.get("json")).startsWith("blocked");
            // the simple request is sent (no preflight for text/plain) and refused; the page learns nothing of the
            // answer (opaque, or blocked outright by Cross-Origin-Resource-Policy)
            assertThat((String) results.get("simple")).isIn("sent opaque", "error TypeError");
            Await.until("the simple request refused by the server", Duration.ofSeconds(5),
                    () -> observer.web().refusedRequests() == 1);
            assertThat(record(1).resolutionStatus()).isEqualTo("open");

            browser.driver.executeScript("document.getElementById('f').submit()");
            browser.await("the form's answer", Duration.ofSeconds(10), d -> d.getCurrentUrl().startsWith(base)
                    ? true : null);
            String answer = browser.driver.findElement(By.tagName("body")).getText();
            assertThat(answer).contains("cross-site request refused");
            assertThat(observer.web().refusedRequests()).isEqualTo(2);
            assertThat(record(1).resolutionStatus()).isEqualTo("open");
            assertThat(record(1).agentReviews()).isEmpty();
        } finally {
            evil.stop(0);
        }
    }

    @Test
    void screenshotsOfTheAlertsPageAndAnExpandedAlert() throws Exception {
        llm.always(FakeLlmServer.ollamaStream(Duration.ofMillis(30), "stop", Answers.GOOD));
        start(seed(fx -> {
            Instant now = Instant.now();
            fx.analyzed("CrashDetectionRule", "postgresql.service/postgres", Severity.CRITICAL,
                    now.minusSeconds(3 * 3600), "postgres: server process (PID 812) was terminated by signal 11: "
                            + "Segmentation fault");
            long kernel = fx.record(AlertFixtures.trigger("MemoryPressureRule", null, Severity.WARNING,
                    now.minusSeconds(26 * 3600), "Out of memory: Killed process 4242 (java)"));
            fx.assessments.failed(kernel, 4, "Request timeout: no complete answer from ollama within 60 s "
                    + "(ai.timeout_seconds)");
            long web = fx.analyzed("ErrorFrequencyRule", "nginx.service/nginx", Severity.WARNING,
                    now.minusSeconds(40 * 60), "connect() failed (111: Connection refused) while connecting to "
                            + "upstream").candidateId();
            for (int i = 0; i < 3; i++) {
                fx.record(AlertFixtures.trigger("ErrorFrequencyRule", "nginx.service/nginx", Severity.WARNING,
                        now.minusSeconds(30 * 60 - i * 300L), "upstream timed out (110: Connection timed out)"));
            }
            long disk = fx.record(AlertFixtures.trigger("DiskIOSpikeRule", "sda", Severity.INFO,
                    now.minusSeconds(5 * 60), "sda write spike: baseline 120 KB/s, peak 310 MB/s"));
            fx.assessments.failed(disk, 1, "not now");
        }), "[metrics]\ninterval_seconds = 1");
        // a live trigger, after some samples, so its charts have data on both sides
        Thread.sleep(6000);
        long live = trigger("upstream");
        Await.untilTrue("analysed", Duration.ofSeconds(20), () -> status(live) == AnalysisStatus.ANALYZED);
        Thread.sleep(4000);
        open("/");
        awaitRow(live, Duration.ofSeconds(10));
        Thread.sleep(500);
        Path alerts = browser.screenshot(SHOTS.resolve("alerts.png"));
        WebElement detail = expand(live);
        browser.await("charts drawn", Duration.ofSeconds(10), d -> d.findElements(By.cssSelector(
                "#detail-" + live + " .chart-svg")).size() >= 3 ? true : null);
        browser.setSize(1280, 2000);
        Thread.sleep(400);
        Path expanded = browser.screenshot(SHOTS.resolve("alert-expanded.png"));
        assertThat(detail.findElements(By.cssSelector(".chart-svg path.line"))).isNotEmpty();

        browser.setSize(480, 1400);
        open("/");
        awaitRow(live, Duration.ofSeconds(10));
        Thread.sleep(400);
        browser.screenshot(SHOTS.resolve("alerts-480.png"));
        // readable at 480 px: nothing wider than the window
        Number overflow = (Number) browser.driver.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(overflow.intValue()).isLessThanOrEqualTo(0);

        browser.setSize(1280, 1100);
        open("/system");
        browser.await("system charts", Duration.ofSeconds(10), d -> d.findElements(By.cssSelector(".chart-svg"))
                .size() >= 3 ? true : null);
        browser.screenshot(SHOTS.resolve("system.png"));
        open("/health");
        browser.await("health", Duration.ofSeconds(10), d -> d.findElements(By.cssSelector(".overall")).isEmpty()
                ? null : true);
        browser.screenshot(SHOTS.resolve("health.png"));
        assertThat(consoleErrors()).isEmpty();
        assertThat(Files.size(alerts)).isPositive();
        assertThat(Files.size(expanded)).isPositive();
    }

    @Test
    void withATokenTheBrowserGetsInOnceWithItAndKeepsASession() throws Exception {
        long[] id = new long[1];
        start(seed(fx -> id[0] = fx.analyzed("CrashDetectionRule", "app.service/app", Severity.CRITICAL,
                Instant.now().minusSeconds(60), "app: segfault").candidateId()),
                "token = \"correct horse battery staple\"\n[metrics]\nenabled = false\ndisk_enabled = false");
        browser.driver.get(base + "/");
        assertThat(browser.driver.findElement(By.tagName("body")).getText()).contains("needs its token");
        browser.driver.get(base + "/?token=correct%20horse%20battery%20staple");
        // the token leaves the address bar; the page, its API calls and its live feed ride on the cookie
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(base + "/");
        browser.await("the live feed connected", Duration.ofSeconds(10),
                d -> "live".equals(d.findElement(By.id("feed")).getAttribute("data-state")) ? true : null);
        awaitRow(id[0], Duration.ofSeconds(10));
        browser.console(); // the 401s of the visit without the token (the page and its favicon) were expected
        assertThat(browser.driver.manage().getCookieNamed("eyes_session").isHttpOnly()).isTrue();
        expand(id[0]);
        button(id[0], "acknowledge").click();
        WebElement dlg = browser.await("the dialog", Duration.ofSeconds(5), d -> d.findElement(By.cssSelector(
                "dialog.modal[open]")));
        dlg.findElement(By.cssSelector("button[type=submit]")).click();
        browser.await("acknowledged", Duration.ofSeconds(10), d -> d.findElement(row(id[0])).getText()
                .contains("Acknowledged") ? true : null);
        assertThat(consoleErrors()).isEmpty();
        browser.driver.manage().deleteAllCookies();
    }

    @Test
    void aBannerOnEveryPageWhenTheBackendIsUnreachable() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            endpoint = "http://127.0.0.1:" + s.getLocalPort(); // nobody listens there once it is closed
        }
        start(none());
        for (String page : List.of("/", "/system", "/rules", "/silences", "/health")) {
            open(page);
            WebElement banner = browser.await("the banner on " + page, Duration.ofSeconds(15), d -> {
                WebElement b = d.findElement(By.id("banner"));
                return b.isDisplayed() ? b : null;
            });
            assertThat(banner.getText()).contains("AI backend not reachable at " + endpoint
                    + ": start Ollama (ollama serve) or configure [ai]");
            if (page.equals("/silences")) {
                browser.screenshot(SHOTS.resolve("silences-with-banner.png"));
            }
        }
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("Not reachable");
        browser.screenshot(SHOTS.resolve("health-degraded.png"));
    }
}
