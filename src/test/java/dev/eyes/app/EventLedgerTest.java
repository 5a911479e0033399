package dev.eyes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eyes.event.Event;
import dev.eyes.event.LogEvent;
import dev.eyes.event.MessageType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The testing-only ledger behind {@code eyes run --event-ledger}. */
class EventLedgerTest {
    @TempDir
    Path dir;

    static LogEvent log(String process, String message) {
        return new LogEvent(Instant.parse("2024-05-01T10:00:00Z"), MessageType.ERROR, "", "", process, 1, message);
    }

    @Test
    void appendsOneEscapedLinePerLogEventAndKeepsWhatWasThere() throws Exception {
        Path file = dir.resolve("ledger.txt");
        Files.writeString(file, "earlier\trun\n");
        try (EventLedger ledger = EventLedger.open(file)) {
            ledger.accept(log("soak", "soak-000001"));
            ledger.accept(log("a\tb", "two\nlines\r and a \\ backslash"));
            // unbuffered: on disk before close, as a SIGKILLed run leaves it
            assertThat(Files.readAllLines(file)).containsExactly("earlier\trun", "soak\tsoak-000001",
                    "a\\tb\ttwo\\nlines\\r and a \\\\ backslash");
        }
    }

    @Test
    void aLedgerThatCannotBeOpenedIsAUserError() {
        Path missingDir = dir.resolve("no-such-dir").resolve("ledger.txt");
        assertThatThrownBy(() -> EventLedger.open(missingDir)).isInstanceOf(UserError.class)
                .hasMessageContaining("--event-ledger " + missingDir);
    }

    @Test
    void chainFeedsBothEvenWhenTheFirstFails() {
        List<String> got = new ArrayList<>();
        Consumer<Event> failing = e -> {
            throw new IllegalStateException("broken");
        };
        Consumer<Event> chained = EventLedger.chain(failing, e -> got.add(((LogEvent) e).message()));
        assertThatThrownBy(() -> chained.accept(log("p", "m"))).isInstanceOf(IllegalStateException.class);
        assertThat(got).containsExactly("m");
        Consumer<Event> only = e -> { };
        assertThat(EventLedger.chain(null, only)).isSameAs(only);
        assertThat(EventLedger.chain(only, null)).isSameAs(only);
        assertThat(EventLedger.chain(null, null)).isNull();
    }
}
