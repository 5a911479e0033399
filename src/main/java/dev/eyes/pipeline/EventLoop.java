package dev.eyes.pipeline;

import dev.eyes.event.Checkpoint;
import dev.eyes.event.Event;
import dev.eyes.source.EventSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the buffers and all rule state. Log sources hand events over through a bounded
 * queue and wait when it is full (nothing is dropped); metrics and disk samples go through a small separate
 * queue that drops its oldest sample when full, and every such drop is counted. Idle, the thread parks.
 * {@link #stop} processes everything already queued, saves the checkpoints and returns.
 */
public final class EventLoop implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    private static final Item WAKE = new Item(null, null, null);
    private static final Item STOP = new Item(null, null, null);
    private static final int BATCH = 256;

    /** An event with its checkpoint, or a task to run on the loop thread in queue order. */
    private record Item(Event event, Checkpoint checkpoint, Runnable task) {
    }

    private final EventProcessor processor;
    private final BlockingQueue<Item> queue;
    private final int capacity;
    private final BlockingQueue<Event> samples;
    private final AtomicLong droppedSamples = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong processed = new AtomicLong();
    /** The most log events seen waiting at once (sampled by the loop at the start of each batch). */
    private volatile int maxQueueDepth;
    private volatile boolean accepting = true;
    private volatile RuntimeException failure;
    private volatile Thread thread;

    public EventLoop(EventProcessor processor, int capacity, int sampleCapacity) {
        this.processor = processor;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.samples = new ArrayBlockingQueue<>(sampleCapacity);
    }

    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().name("eyes-event-loop").daemon(false).start(this::run);
        }
    }

    @Override
    public boolean put(Event event, Checkpoint checkpoint) throws InterruptedException {
        if (!accepting) {
            return false;
        }
        queue.put(new Item(event, checkpoint, null));
        accepted.incrementAndGet();
        return true;
    }

    @Override
    public void offerSample(Event event) {
        if (!accepting) {
            return;
        }
        while (!samples.offer(event)) {
            if (samples.poll() != null) {
                droppedSamples.incrementAndGet();
            }
        }
        queue.offer(WAKE); // if the queue is full the loop is busy and will see the sample anyway
    }

    /**
     * Runs {@code task} on the loop thread after everything queued before it (events of a source that has just
     * stopped, say) has been processed: the way to touch loop-owned state (rules, buffers, checkpoints) from
     * outside. Waits for queue space like a log event. The future fails when the loop has stopped.
     */
    public <T> CompletableFuture<T> submit(Callable<T> task) throws InterruptedException {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!accepting || thread == null) {
            result.completeExceptionally(new IllegalStateException("the event loop is not running"));
            return result;
        }
        queue.put(new Item(null, null, () -> {
            try {
                result.complete(task.call());
            } catch (Exception | LinkageError e) {
                result.completeExceptionally(e);
            }
        }));
        return result;
    }

    /** Log events waiting in the queue. */
    public int queueDepth() {
        return queue.size();
    }

    /** The most log events that were waiting at once since the start (its high-water mark). */
    public int maxQueueDepth() {
        return maxQueueDepth;
    }

    public int queueCapacity() {
        return capacity;
    }

    /** Metrics/disk samples waiting. */
    public int sampleQueueDepth() {
        return samples.size();
    }

    public int sampleQueueCapacity() {
        return samples.size() + samples.remainingCapacity();
    }

    /** Events (log and samples) the loop has finished with. */
    public long processed() {
        return processed.get();
    }

    /** Metrics/disk samples dropped because the sample queue was full. */
    public long droppedSamples() {
        return droppedSamples.get();
    }

    /** Log events handed over so far. */
    public long accepted() {
        return accepted.get();
    }

    public EventProcessor processor() {
        return processor;
    }

    /**
     * Stops accepting, processes everything queued, flushes the checkpoints. Call after the sources stopped.
     *
     * @return false when the loop did not finish within the deadline
     */
    public boolean stop(Duration deadline) throws InterruptedException {
        accepting = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            return true;
        }
        queue.put(STOP);
        return t.join(deadline);
    }

    private void run() {
        List<Item> batch = new ArrayList<>(BATCH);
        try {
            while (true) {
                Item first = processor.checkpointsDirty() ? queue.poll(1, TimeUnit.SECONDS) : queue.take();
                long now = System.nanoTime();
                if (first == null) {
                    processor.tick(now);
                    continue;
                }
                batch.add(first);
                // the one just taken and those behind it; a source may refill the freed slot meanwhile
                int depth = Math.min(capacity, 1 + queue.size());
                if (depth > maxQueueDepth) {
                    maxQueueDepth = depth; // only this thread writes it
                }
                queue.drainTo(batch, BATCH - 1);
                boolean stop = false;
                for (Item item : batch) {
                    if (item == STOP) {
                        stop = true;
                    } else if (item.task() != null) {
                        drainSamples(now); // a task sees every sample handed over before it too
                        item.task().run();
                    } else if (item != WAKE) {
                        process(item.event(), item.checkpoint(), now);
                    }
                }
                batch.clear();
                drainSamples(now);
                processor.tick(now);
                if (stop) {
                    // anything put after STOP came from a source that was still finishing: keep it
                    Item rest;
                    while ((rest = queue.poll()) != null) {
                        if (rest.event() != null) {
                            process(rest.event(), rest.checkpoint(), now);
                        } else if (rest.task() != null) {
                            rest.task().run();
                        }
                    }
                    drainSamples(now);
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Error e) {
            // nothing reads the queue after this: say so loudly (bin/eyes also exits on OutOfMemoryError, so a
            // service manager restarts Eyes, which resumes from its checkpoints)
            LOG.error("event loop stopped by {}; events are no longer processed", e.toString());
            throw e;
        } finally {
            processor.flushCheckpoints();
            // tasks queued behind STOP still run (on this thread, in order), so their callers never wait forever
            Item rest;
            while ((rest = queue.poll()) != null) {
                if (rest.task() != null) {
                    rest.task().run();
                }
            }
        }
    }

    private void drainSamples(long now) {
        Event s;
        while ((s = samples.poll()) != null) {
            process(s, null, now);
        }
    }

    private void process(Event event, Checkpoint checkpoint, long now) {
        try {
            if (LOG.isTraceEnabled() && event instanceof dev.eyes.event.LogEvent l) {
                LOG.trace("processing {} {} {}: {}", checkpoint == null ? "-" : checkpoint.sourceId(),
                        l.messageType().wireName(), l.process(), l.message());
            }
            processor.process(event, checkpoint, now);
            processed.lazySet(processed.get() + 1); // single writer
        } catch (RuntimeException e) {
            // a bug in a rule must not stop monitoring: log it once per kind and go on
            if (failure == null || !failure.getClass().equals(e.getClass())) {
                LOG.error("event loop: processing an event failed ({}); continuing", e.toString());
                LOG.debug("event loop failure", e);
            }
            failure = e;
        }
    }
}
