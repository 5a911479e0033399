package dev.eyes.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.analysis.backend.Backend;
import dev.eyes.analysis.backend.Backends;
import dev.eyes.analysis.backend.OllamaBackend;
import dev.eyes.testing.Await;
import dev.eyes.testing.FakeLlmServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whether the backend can be used: checked at start, again while it is not, and after a failed analysis. */
class BackendHealthTest {
    final Scheduler timer = Scheduler.system("backend-health-test");
    FakeLlmServer server;

    @AfterEach
    void tearDown() {
        timer.shutdown();
        if (server != null) {
            server.close();
        }
    }

    static Backend ollama(String url) {
        Duration t = Duration.ofSeconds(5);
        return new OllamaBackend(Backends.httpClient(t), url, "llama3", t, 100, 1 << 20, InsightSchema.schema());
    }

    @Test
    void unreachableThenNoModelThenReadyAsTheServerComesUp() throws Exception {
        server = new FakeLlmServer();
        server.onGet(FakeLlmServer.status(200, "{\"models\":[{\"name\":\"qwen2:latest\"}]}"));
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        BackendHealth down = new BackendHealth(ollama("http://127.0.0.1:" + closed), timer);
        assertThat(down.state().checked()).isFalse();
        assertThat(down.state().ready()).isTrue(); // not checked yet: no alarm
        BackendHealth.State s = down.probeNow();
        assertThat(s.checked()).isTrue();
        assertThat(s.reachable()).isFalse();
        assertThat(s.ready()).isFalse();
        assertThat(s.message()).contains("connection refused");
        down.stop();

        // reachable without the model; rechecked while not ready; ready once the model is there
        BackendHealth h = new BackendHealth(ollama(server.url()), timer, Duration.ofMillis(200), Duration.ZERO);
        h.start();
        Await.until("checked", Duration.ofSeconds(5), () -> h.state().checked());
        assertThat(h.state().reachable()).isTrue();
        assertThat(h.state().ready()).isFalse();
        assertThat(h.state().message()).contains("ollama pull llama3");
        server.onGet(FakeLlmServer.status(200, "{\"models\":[{\"name\":\"llama3:latest\"}]}"));
        Await.until("ready after a recheck", Duration.ofSeconds(5), () -> h.state().ready());
        int gets = server.requests().size();
        Thread.sleep(600);
        assertThat(server.requests()).hasSize(gets); // ready: no more polling
        // a failed analysis makes it look again
        h.failed(1, 1, "Backend communication failed", true);
        Await.until("checked again", Duration.ofSeconds(5), () -> server.requests().size() > gets);
        h.stop();
    }
}
