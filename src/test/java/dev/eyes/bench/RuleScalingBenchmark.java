package dev.eyes.bench;

import dev.eyes.config.BufferConfig;
import dev.eyes.config.ConfigLoader;
import dev.eyes.config.EyesConfig;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MessageType;
import dev.eyes.pipeline.EventProcessor;
import dev.eyes.pipeline.RecentBuffers;
import dev.eyes.rule.TriggerEngine;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P3: per-event cost of buffers + all rules with {@code buffer.max_size} 1,000 vs 100,000, with the buffer age and
 * the error window scaled so the buffers really hold that many events. Incremental rules should cost the same.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"-XX:+UseSerialGC", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RuleScalingBenchmark {
    static final int BATCH = 10_000;

    @Param({"1000", "100000"})
    public int maxSize;

    EventProcessor processor;
    LogEvent[] events;
    long micros;
    int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        // one event every 10 ms of event time: max_age and the error window cover maxSize events
        int ageSeconds = Math.max(1, maxSize / 100);
        EyesConfig config = ConfigLoader.parse("[buffer]\nmax_size = " + maxSize + "\nmax_age_seconds = " + ageSeconds
                + "\n[triggers]\nerror_window_seconds = " + Math.max(1, ageSeconds / 2)
                + "\nerror_threshold = 1000000\n", null, Map.of()).config();
        RecentBuffers buffers = new RecentBuffers(new BufferConfig(ageSeconds, maxSize));
        TriggerEngine engine = new TriggerEngine(TriggerEngine.rulesFor(config), TriggerEngine.cooldownsFor(config),
                buffers, TriggerEngine.listener(t -> { }));
        processor = new EventProcessor(buffers, engine, null);
        Random rnd = new Random(5);
        events = new LogEvent[4096];
        for (int i = 0; i < events.length; i++) {
            events[i] = new LogEvent(Instant.EPOCH, rnd.nextInt(10) == 0 ? MessageType.ERROR : MessageType.INFO,
                    "svc" + rnd.nextInt(20) + ".service", "", "svc" + rnd.nextInt(20), 100,
                    "request " + rnd.nextInt(500) + " failed with status " + rnd.nextInt(5));
        }
        micros = 1_700_000_000_000_000L;
        // fill the buffers and the rule windows before measuring
        for (int i = 0; i < maxSize * 2; i++) {
            feed();
        }
    }

    private void feed() {
        LogEvent t = events[next++ & (events.length - 1)];
        micros += 10_000;
        LogEvent e = new LogEvent(Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000),
                t.messageType(), t.subsystem(), t.category(), t.process(), t.processId(), t.message());
        processor.process(e, null, 0);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void perEvent() {
        for (int i = 0; i < BATCH; i++) {
            feed();
        }
    }
}
