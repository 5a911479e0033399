package dev.eyes.analysis.backend;

import static dev.eyes.analysis.backend.OllamaBackendTest.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eyes.analysis.AnalysisException;
import dev.eyes.analysis.Insight;
import dev.eyes.analysis.InsightParser;
import dev.eyes.event.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MockBackendTest {
    private final BackendRequest request = new BackendRequest("s", "u", Severity.CRITICAL, "Rule 'X' triggered");

    @Test
    void cyclesThroughItsPatternAndLabelsItself() throws Exception {
        MockBackend mock = new MockBackend("mock", Duration.ZERO, "ok,fail,invalid");
        List<String> chunks = new ArrayList<>();
        Reply ok = call(mock, request, chunks);
        Insight i = new InsightParser(1 << 20).parse(ok.text());
        assertThat(i.summary()).startsWith("[mock] ").contains("Rule 'X' triggered");
        assertThat(i.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(String.join("", chunks)).isEqualTo(ok.text());
        assertThat(chunks).hasSizeGreaterThan(1);
        assertThatThrownBy(() -> call(mock, request, new ArrayList<>()))
                .isInstanceOfSatisfying(AnalysisException.class,
                        e -> assertThat(e.kind()).isEqualTo(AnalysisException.Kind.TRANSPORT));
        assertThatThrownBy(() -> new InsightParser(1 << 20).parse(call(mock, request, new ArrayList<>()).text()))
                .hasMessageStartingWith("Invalid response format");
        assertThat(call(mock, request, new ArrayList<>()).text()).contains("[mock]"); // the cycle starts again
        assertThat(mock.name()).isEqualTo("mock");
        assertThat(mock.probe().message()).contains("mock");
    }

    @Test
    void hangsUntilCancelled() throws Exception {
        MockBackend mock = new MockBackend("mock", Duration.ZERO, "hang");
        Exchange ex = new Exchange("Request timeout: test");
        Thread canceller = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                return;
            }
            ex.cancel(AnalysisException.Kind.TIMEOUT);
        });
        ex.begin();
        try {
            assertThatThrownBy(() -> mock.complete(request, ex, s -> { }))
                    .isInstanceOfSatisfying(AnalysisException.class, e -> {
                        assertThat(e.kind()).isEqualTo(AnalysisException.Kind.TIMEOUT);
                        assertThat(e.getMessage()).isEqualTo("Request timeout: test");
                    });
        } finally {
            ex.end();
        }
        canceller.join();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
