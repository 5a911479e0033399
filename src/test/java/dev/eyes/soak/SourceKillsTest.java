package dev.eyes.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Soak R1, short: 5,000 numbered entries, journalctl SIGKILLed 10 times; the full run is {@code bin/soak R1}. */
class SourceKillsTest {
    @TempDir
    Path work;

    @Test
    void everyNumberedEntryIsProcessedExactlyOnceThroughTenJournalctlKills() throws Exception {
        SourceKills.Result r = SourceKills.run(5_000, 10, 20240901L, work);
        System.out.print(r.markdown());
        assertThat(r.failure()).as("run failure").isNull();
        assertThat(r.kills()).as("journalctl SIGKILLs").isEqualTo(10);
        assertThat(r.killsInFlight()).as("kills while entries were being written").isGreaterThanOrEqualTo(8);
        assertThat(r.restarts()).as("journalctl restarts").isGreaterThanOrEqualTo(10);
        assertThat(r.inJournal()).as("entries journald stored").isEqualTo(5_000);
        assertThat(r.lostSample()).as("lost entries (sample)").isEmpty();
        assertThat(r.lost()).as("lost entries").isZero();
        assertThat(r.duplicatedSample()).as("duplicated entries (sample)").isEmpty();
        assertThat(r.duplicated()).as("duplicated entries").isZero();
        assertThat(r.unexpected()).as("events that were not numbered entries").isZero();
        assertThat(r.processed()).as("numbered events processed").isEqualTo(5_000);
        assertThat(r.passed()).isTrue();
    }
}
