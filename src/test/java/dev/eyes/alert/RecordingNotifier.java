package dev.eyes.alert;

import dev.eyes.alert.notify.Notification;
import dev.eyes.alert.notify.Notifier;
import dev.eyes.event.Severity;
import dev.eyes.store.DeliveryAttempt;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/** A notifier for tests: records what it is given and answers with scripted outcomes (default: delivered). */
final class RecordingNotifier implements Notifier {
    final String name;
    final Severity minimum;
    final InstantSource clock;
    final List<Notification> received = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Boolean> outcomes = new ArrayDeque<>();
    volatile boolean failAlways;
    volatile boolean hang;
    volatile boolean throwing;
    volatile Duration deadline = Duration.ofSeconds(5);

    RecordingNotifier(String name, Severity minimum, InstantSource clock) {
        this.name = name;
        this.minimum = minimum;
        this.clock = clock;
    }

    RecordingNotifier(String name, InstantSource clock) {
        this(name, Severity.INFO, clock);
    }

    synchronized RecordingNotifier then(boolean... results) {
        for (boolean r : results) {
            outcomes.add(r);
        }
        return this;
    }

    private synchronized boolean next() {
        Boolean b = outcomes.poll();
        return b == null ? !failAlways : b;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean accepts(Severity severity) {
        return severity.atLeast(minimum);
    }

    @Override
    public Duration deadline() {
        return deadline;
    }

    @Override
    public List<DeliveryAttempt> deliver(Notification n) {
        received.add(n);
        if (throwing) {
            throw new IllegalStateException("notifier bug");
        }
        if (hang) {
            try {
                Thread.sleep(Duration.ofHours(1));
            } catch (InterruptedException e) {
                return List.of(DeliveryAttempt.failed(name, clock.instant(), "interrupted"));
            }
        }
        return List.of(next() ? DeliveryAttempt.delivered(name, clock.instant())
                : DeliveryAttempt.failed(name, clock.instant(), "HTTP 500: scripted failure"));
    }

    @Override
    public String toString() {
        return name + " minimum_severity " + minimum.wireName();
    }

    List<Long> candidates() {
        synchronized (received) {
            return received.stream().map(Notification::candidateId).toList();
        }
    }
}
