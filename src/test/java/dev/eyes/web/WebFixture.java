package dev.eyes.web;

import dev.eyes.analysis.Analyzer;
import dev.eyes.analysis.Backoff;
import dev.eyes.analysis.InsightParser;
import dev.eyes.analysis.InsightSink;
import dev.eyes.analysis.PromptBuilder;
import dev.eyes.analysis.Redactor;
import dev.eyes.analysis.Scheduler;
import dev.eyes.analysis.backend.MockBackend;
import dev.eyes.app.InProcessAnalysis;
import dev.eyes.config.BindAddress;
import dev.eyes.source.Platform;
import dev.eyes.store.SqliteAlertStore;
import dev.eyes.testing.AlertFixtures;
import dev.eyes.testing.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A dashboard server on 127.0.0.1 (a free port) over a real SQLite file, with a real analyzer on the mock backend
 * — the parts {@code eyes run} gives it, without the sources.
 */
final class WebFixture implements AutoCloseable {
    final AlertFixtures fx;
    final SqliteAlertStore store;
    final Analyzer analyzer;
    final Scheduler timers = Scheduler.system("web-test-timer");
    final MetricSeries series = new MetricSeries(Duration.ofHours(1), Duration.ofSeconds(5));
    final LiveAnalyses live = new LiveAnalyses();
    final AtomicReference<dev.eyes.selfmon.Health> health = new AtomicReference<>(Healths.ok());
    final WebServer server;
    final WebClient client;

    WebFixture(Path dir, String bind, String token, List<String> allowedHosts, Duration mockDelay) throws Exception {
        this(dir, bind, token, allowedHosts, mockDelay, null);
    }

    WebFixture(Path dir, String bind, String token, List<String> allowedHosts, Duration mockDelay,
               com.sun.net.httpserver.HttpHandler metrics) throws Exception {
        fx = new AlertFixtures(dir.resolve("eyes.db"), Duration.ZERO);
        store = new SqliteAlertStore(fx.db);
        analyzer = new Analyzer(new Analyzer.Settings(2, Duration.ofSeconds(20), 1, Backoff.of(60), 100),
                new MockBackend("mock", mockDelay, "ok"), new Redactor(true, false), new PromptBuilder(Platform.LINUX),
                new InsightParser(1 << 20), fx.assessments, timers, timers, InsightSink.NONE);
        analyzer.start(false, false, false);
        server = new WebServer(BindAddress.parse(bind), token, allowedHosts, new WebServer.Parts(store,
                new InProcessAnalysis(fx.assessments, analyzer), health::get, series, live, metrics, store::changeMark));
        server.start();
        client = new WebClient("127.0.0.1", server.address().getPort());
    }

    static WebFixture start(Path dir) throws Exception {
        return new WebFixture(dir, "127.0.0.1:0", "", List.of(), Duration.ofMillis(50));
    }

    @Override
    public void close() {
        server.stop(Duration.ZERO);
        try {
            analyzer.stop(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdown();
        store.close();
        fx.assessments.close();
    }
}
