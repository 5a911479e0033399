package dev.eyes.alert;

import dev.eyes.alert.notify.Notification;
import dev.eyes.alert.notify.Notifier;
import dev.eyes.store.DeliveryAttempt;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One notifier's delivery of one notification, on a virtual thread of its own, abandoned (and interrupted) a
 * second after the notifier's own deadline: whatever the notifier does — hang, throw, report nothing — the alert
 * stage gets a list of attempts with a reason, never an exception and never a wait without end.
 */
final class Delivery {
    private Delivery() {
    }

    static List<DeliveryAttempt> run(Notifier t, Notification n, InstantSource clock) {
        CompletableFuture<List<DeliveryAttempt>> f = new CompletableFuture<>();
        Thread th = Thread.ofVirtual().name("eyes-notify").start(() -> {
            try {
                List<DeliveryAttempt> a = t.deliver(n);
                f.complete(a == null || a.isEmpty()
                        ? List.of(DeliveryAttempt.failed(t.name(), clock.instant(), "the notifier reported nothing"))
                        : a);
            } catch (Throwable e) {
                f.complete(List.of(DeliveryAttempt.failed(t.name(), clock.instant(), "notifier error: " + e)));
            }
        });
        Duration limit = t.deadline().plusSeconds(1);
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            th.interrupt();
            return List.of(DeliveryAttempt.failed(t.name(), clock.instant(), "did not finish within "
                    + limit.toSeconds() + " s"));
        } catch (InterruptedException e) {
            th.interrupt();
            Thread.currentThread().interrupt();
            return List.of(DeliveryAttempt.failed(t.name(), clock.instant(), "interrupted (Eyes is stopping)"));
        } catch (ExecutionException e) {
            return List.of(DeliveryAttempt.failed(t.name(), clock.instant(), "notifier error: " + e.getCause()));
        }
    }

    /** {@code s}, computed at most once, by whichever notifier asks first (a webhook's JSON body). */
    static <T> Supplier<T> once(Supplier<T> s) {
        return new Supplier<>() {
            private T value;
            private boolean done;

            @Override
            public synchronized T get() {
                if (!done) {
                    value = s.get();
                    done = true;
                }
                return value;
            }
        };
    }
}
