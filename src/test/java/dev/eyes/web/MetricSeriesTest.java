package dev.eyes.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eyes.event.DiskEvent;
import dev.eyes.event.MemoryPressure;
import dev.eyes.testing.Triggers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The chart history: sized for the retention, bounded, newest kept, windows and JSON. */
class MetricSeriesTest {
    @Test
    void holdsAtLeastTheRetentionAtTheSamplingInterval() {
        assertThat(new MetricSeries(Duration.ofHours(1), Duration.ofSeconds(5)).capacity()).isGreaterThanOrEqualTo(720);
        assertThat(new MetricSeries(Duration.ofHours(1), Duration.ofSeconds(1)).capacity()).isGreaterThanOrEqualTo(3600)
                .isLessThanOrEqualTo(MetricSeries.MAX_CAPACITY);
        assertThat(new MetricSeries(Duration.ofHours(1), Duration.ofSeconds(60)).capacity()).isGreaterThanOrEqualTo(60);
        // bounded whatever the interval says
        assertThat(new MetricSeries(Duration.ofHours(1), Duration.ofMillis(1)).capacity())
                .isEqualTo(MetricSeries.MAX_CAPACITY);
    }

    @Test
    void keepsTheNewestWhenFull() {
        MetricSeries s = new MetricSeries(Duration.ofMinutes(1), Duration.ofSeconds(5)); // 12 + margin
        int n = s.capacity() * 3;
        for (int i = 0; i < n; i++) {
            s.accept(Triggers.metrics(i, i, 100, MemoryPressure.NORMAL, List.of()));
        }
        MetricSeries.Window w = s.window(Triggers.T0, Triggers.T0.plusSeconds(n));
        assertThat(w.metricsSamples()).isEqualTo(s.capacity());
        assertThat(w.cpu(0)).isEqualTo(n - s.capacity());
        assertThat(w.cpu(s.capacity() - 1)).isEqualTo(n - 1);
    }

    @Test
    void sumsTheDevicesOfOneRoundAndIgnoresLogs() {
        MetricSeries s = new MetricSeries(Duration.ofHours(1), Duration.ofSeconds(5));
        Instant t = Triggers.T0;
        s.accept(new DiskEvent(t, 100, 10, 1, 1, "sda", null));
        s.accept(new DiskEvent(t, 50, 5, 1, 1, "nvme0n1", null));
        s.accept(new DiskEvent(t.plusSeconds(5), 1, 1, 1, 1, "sda", null));
        s.accept(Triggers.log(0, dev.eyes.event.MessageType.ERROR, "u", "p", 1, "m"));
        MetricSeries.Window w = s.window(t, t.plusSeconds(5));
        assertThat(w.diskSamples()).isEqualTo(2);
        assertThat(w.diskKbPerSec(0)).isEqualTo(165.0);
        assertThat(w.metricsSamples()).isZero();
    }

    @Test
    void jsonHasColumnsWithNullForUnavailable() {
        MetricSeries s = new MetricSeries(Duration.ofHours(1), Duration.ofSeconds(5));
        s.accept(Triggers.metrics(0, 12.345, 2048, MemoryPressure.CRITICAL, List.of()));
        JsonNode n = s.json(Triggers.T0.minusSeconds(1), Triggers.T0.plusSeconds(1));
        JsonNode m = n.get("metrics");
        assertThat(m.get("t").get(0).asLong()).isEqualTo(Triggers.T0.toEpochMilli());
        assertThat(m.get("cpu_usage_percent").get(0).asDouble()).isEqualTo(12.35);
        assertThat(m.get("memory_used_mb").get(0).asDouble()).isEqualTo(2048.0);
        assertThat(m.get("memory_pressure").get(0).asString()).isEqualTo("Critical");
        assertThat(m.get("gpu_usage_percent").get(0).isNull()).isTrue();
        assertThat(m.get("gpu_power_mw").get(0).isNull()).isTrue();
        assertThat(n.get("disk").get("t").size()).isZero();
        assertThat(s.json(Triggers.T0.plusSeconds(10), Triggers.T0.plusSeconds(20)).get("metrics").get("t").size())
                .isZero();
    }
}
