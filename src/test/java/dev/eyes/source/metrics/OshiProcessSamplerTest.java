package dev.eyes.source.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.ProcessMetric;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OSHI sampler (used on macOS) works on this host too: largest RSS first, this JVM among them. */
class OshiProcessSamplerTest {
    @Test
    void topByRssWithCpuBetweenCalls() throws InterruptedException {
        OshiProcessSampler s = new OshiProcessSampler();
        List<ProcessMetric> first = s.top(5);
        Thread.sleep(100);
        List<ProcessMetric> second = s.top(5);
        for (List<ProcessMetric> l : List.of(first, second)) {
            assertThat(l).hasSize(5);
            assertThat(l).isSortedAccordingTo((a, b) -> Double.compare(b.residentMemoryMb(), a.residentMemoryMb()));
            assertThat(l).allSatisfy(p -> assertThat(p.cpuUsagePercent()).isNotNegative());
        }
        long me = ProcessHandle.current().pid();
        assertThat(second).anySatisfy(p -> assertThat(p.processId()).isEqualTo(me));
        assertThat(s.top(0)).isEmpty();
    }
}
