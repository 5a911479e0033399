package dev.eyes.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aSuccessCountsForSixtySecondsAndReservationsHoldRoom() {
        RateLimiter l = new RateLimiter(2);
        assertThat(l.canSend(T)).isTrue();
        l.reserve();
        l.reserve();
        assertThat(l.canSend(T)).isFalse();
        // a failure frees its room
        l.failed();
        assertThat(l.canSend(T)).isTrue();
        // a success turns its reservation into a stamp
        l.succeeded(T.plusSeconds(1));
        assertThat(l.used(T.plusSeconds(1))).isEqualTo(1);
        assertThat(l.reserved()).isZero();
        assertThat(l.canSend(T.plusSeconds(1))).isTrue();
        l.reserve();
        l.succeeded(T.plusSeconds(2));
        assertThat(l.canSend(T.plusSeconds(2))).isFalse();
        // a success at t counts while t > now − 60 s
        assertThat(l.canSend(T.plusSeconds(60))).isFalse();
        assertThat(l.nextRoom(T.plusSeconds(60))).isEqualTo(T.plusSeconds(61));
        assertThat(l.canSend(T.plusSeconds(61))).isTrue();
        assertThat(l.used(T.plusSeconds(61))).isEqualTo(1);
        assertThat(l.used(T.plusSeconds(62))).isZero();
        assertThat(l.window()).isEqualTo(Duration.ofSeconds(60));
    }
}
