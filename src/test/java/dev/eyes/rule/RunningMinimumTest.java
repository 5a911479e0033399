package dev.eyes.rule;

import static dev.eyes.rule.RuleHarness.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunningMinimumTest {

    @Test
    void minimumOfTheWindowBeforeEachValue() {
        RunningMinimum m = new RunningMinimum(Duration.ofSeconds(30), 1000);
        assertThat(m.minBeforeAndAdd(at(0), 10)).as("nothing before").isNull();
        assertThat(m.minBeforeAndAdd(at(5), 20)).isEqualTo(10.0);
        assertThat(m.minBeforeAndAdd(at(10), 5)).isEqualTo(10.0);
        assertThat(m.minBeforeAndAdd(at(15), 7)).isEqualTo(5.0);
        // at 40 the 5 (t=10) is exactly at the window's edge: still in [40−30, 40]
        assertThat(m.minBeforeAndAdd(at(40), 9)).isEqualTo(5.0);
        // at 41 it has left; 7 (t=15) is the minimum
        assertThat(m.minBeforeAndAdd(at(41), 9)).isEqualTo(7.0);
        assertThat(m.minBeforeAndAdd(at(100), 1)).as("all expired").isNull();
        assertThat(m.minBeforeAndAdd(at(90), 3)).as("time went back: start over").isNull();
    }

    @Test
    void agreesWithABruteForceScanOnRandomSeries() {
        Random r = new Random(20260301L);
        for (int run = 0; run < 50; run++) {
            Duration window = Duration.ofSeconds(1 + r.nextInt(60));
            RunningMinimum m = new RunningMinimum(window, 100_000);
            ArrayDeque<double[]> all = new ArrayDeque<>();
            double t = 0;
            for (int i = 0; i < 500; i++) {
                t += r.nextInt(10);
                double v = r.nextInt(1000) / 10.0;
                Double expected = null;
                for (double[] p : all) {
                    if (p[0] >= t - window.toSeconds() && (expected == null || p[1] < expected)) {
                        expected = p[1];
                    }
                }
                assertThat(m.minBeforeAndAdd(at(t), v)).isEqualTo(expected);
                all.add(new double[] {t, v});
            }
            assertThat(m.size()).isLessThanOrEqualTo(all.size());
        }
    }

    @Test
    void sizeStaysBoundedByTheWindowNotTheHistory() {
        RunningMinimum m = new RunningMinimum(Duration.ofSeconds(10), 1000);
        for (int i = 0; i < 100_000; i++) {
            m.minBeforeAndAdd(at(i), i); // rising: the worst case for a monotonic deque
        }
        assertThat(m.size()).isLessThanOrEqualTo(11);
        RunningMinimum capped = new RunningMinimum(Duration.ofDays(1), 16);
        for (int i = 0; i < 1000; i++) {
            capped.minBeforeAndAdd(at(i), i);
        }
        assertThat(capped.size()).isEqualTo(16);
    }
}
