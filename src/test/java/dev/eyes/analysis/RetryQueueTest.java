package dev.eyes.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryQueueTest {
    @Test
    void backoffDoublesFromOneSecondUpToTheCap() {
        Backoff b = Backoff.of(60);
        assertThat(IntStream.rangeClosed(1, 9).mapToObj(n -> b.delay(n, null).toSeconds()).toList())
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
        Backoff small = Backoff.of(5);
        assertThat(IntStream.rangeClosed(1, 5).mapToObj(n -> small.delay(n, null).toSeconds()).toList())
                .containsExactly(1L, 2L, 4L, 5L, 5L);
        assertThat(b.delay(1000, null)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void retryAfterIsHonouredButNeverShortensTheBackoff() {
        Backoff b = Backoff.of(60);
        assertThat(b.delay(1, Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(b.delay(3, Duration.ofMillis(500))).isEqualTo(Duration.ofSeconds(4));
        assertThat(b.delay(1, Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(120)); // above the cap: honoured
        assertThat(b.delay(1, Duration.ofHours(5))).isEqualTo(Backoff.MAX_RETRY_AFTER);
    }

    @Test
    void boundedWithOldestEvicted() {
        RetryQueue<String> q = new RetryQueue<>(3);
        assertThat(q.add("a", 30)).isNull();
        assertThat(q.add("b", 10)).isNull();
        assertThat(q.add("c", 20)).isNull();
        assertThat(q.add("d", 5)).isEqualTo("a"); // queued longest ago, whatever its due time
        assertThat(q.size()).isEqualTo(3);
        assertThat(q.add("e", 1)).isEqualTo("b");
        assertThat(q.nextDue()).hasValue(1);
        assertThat(q.takeDue(9)).containsExactly("e", "d");
        assertThat(q.takeDue(19)).isEmpty();
        assertThat(q.takeDue(20)).containsExactly("c");
        assertThat(q.nextDue()).isEmpty();
    }

    @Test
    void requeueingTheSameItemDoesNotDuplicateIt() {
        RetryQueue<String> q = new RetryQueue<>(2);
        q.add("a", 10);
        q.add("a", 20);
        assertThat(q.size()).isEqualTo(1);
        assertThat(q.add("b", 1)).isNull();
        assertThat(q.drain()).containsExactly("a", "b");
    }
}
