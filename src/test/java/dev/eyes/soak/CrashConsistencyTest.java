package dev.eyes.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Soak R2, short: the real {@code eyes run} SIGKILLed 3 times during a storm; the full run is {@code bin/soak R2}. */
class CrashConsistencyTest {
    @TempDir
    Path work;

    @Test
    void threeKillNinesDuringAStormKeepTheDatabaseSoundAndLoseNothing() throws Exception {
        CrashConsistency.Result r = CrashConsistency.run(3, 20240902L, work);
        System.out.print(r.markdown());
        assertThat(r.failure()).as("run failure").isNull();
        assertThat(r.kills()).as("SIGKILLs").isEqualTo(3);
        assertThat(r.integrityFailures()).as("integrity after each kill").isEmpty();
        assertThat(r.integrityChecks()).isEqualTo(4);
        assertThat(r.candidatesLostAfterCommit()).as("committed candidates missing later").isZero();
        assertThat(r.resumeFailures()).as("runs not resuming after the saved cursor").isEmpty();
        assertThat(r.resumeChecks()).as("runs that processed entries").isGreaterThanOrEqualTo(2);
        assertThat(r.lostSample()).as("lost entries (sample)").isEmpty();
        assertThat(r.lost()).as("lost entries").isZero();
        assertThat(r.againPerKill()).as("entries read again per kill").hasSize(3)
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(r.batch()));
        assertThat(r.duplicateCandidates()).as("candidates stored twice").isEmpty();
        assertThat(r.candidates()).as("candidates stored").isPositive();
        assertThat(r.partialLedgerLines()).isZero();
        assertThat(r.finalExit()).as("exit status after SIGTERM").isZero();
        assertThat(r.written()).as("numbered entries written").isGreaterThan(1000);
        assertThat(r.passed()).isTrue();
    }
}
