package dev.eyes.bench;

import dev.eyes.config.BufferConfig;
import dev.eyes.config.EyesConfig;
import dev.eyes.pipeline.EventProcessor;
import dev.eyes.pipeline.RecentBuffers;
import dev.eyes.rule.TriggerEngine;
import dev.eyes.source.journald.JournaldDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * P1: journald JSON lines per second on one core — a bare Jackson token parse of the same bytes (the baseline),
 * Eyes' decoder alone, and decoder + rolling buffers + all rules (what {@code eyes run} does per line).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-XX:+UseSerialGC", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class IngestBenchmark {
    static final int LINES = 20_000;
    static final JsonFactory JSON = JsonFactory.builder().build();

    byte[][] lines;
    EventProcessor processor;
    JournaldDecoder decoder;

    @Setup(Level.Trial)
    public void load() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JournalGenerator.write(out, LINES, 42);
        List<byte[]> all = new ArrayList<>();
        byte[] b = out.toByteArray();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                all.add(java.util.Arrays.copyOfRange(b, start, i));
                start = i + 1;
            }
        }
        lines = all.toArray(new byte[0][]);
    }

    @Setup(Level.Iteration)
    public void pipeline() {
        EyesConfig config = EyesConfig.defaults();
        RecentBuffers buffers = new RecentBuffers(new BufferConfig(60, 1000));
        TriggerEngine engine = new TriggerEngine(TriggerEngine.rulesFor(config), TriggerEngine.cooldownsFor(config),
                buffers, TriggerEngine.listener(t -> { }));
        processor = new EventProcessor(buffers, engine, null);
        decoder = new JournaldDecoder();
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void bareJacksonParse(Blackhole bh) {
        for (byte[] line : lines) {
            try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), line, 0, line.length)) {
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    bh.consume(t);
                }
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void decodeOnly(Blackhole bh) throws InterruptedException {
        for (byte[] line : lines) {
            decoder.feedLine(line, 0, line.length, false, (e, c) -> bh.consume(e));
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void decodeBuffersAndRules() throws InterruptedException {
        for (byte[] line : lines) {
            decoder.feedLine(line, 0, line.length, false, (e, c) -> processor.process(e, null, 0));
        }
    }
}
