package dev.eyes.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short version of R7 (the full one runs from {@code bin/soak}): a full filesystem and a locked database under
 * a real {@code eyes run}. Needs root for the tmpfs and journald, and the {@code sqlite3} shell — it fails, never
 * skips, without them.
 */
class ResourceFaultsTest {
    @Test
    void aFullFilesystemAndALockedDatabaseLoseNothingAndStopNothing() throws Exception {
        ResourceFaults.Plan plan = ResourceFaults.Plan.quick();
        List<FaultScenario.Result> results = ResourceFaults.run(plan);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ResourceFaults.print(results, plan, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String report = buf.toString(StandardCharsets.UTF_8);
        System.out.println(report);
        assertThat(results).extracting(FaultScenario.Result::title)
                .containsExactly("Full filesystem", "Locked database");
        for (FaultScenario.Result r : results) {
            assertThat(r.checks()).as(r.title()).isNotEmpty();
            assertThat(r.checks()).as(r.title() + "\n" + report).allMatch(FaultScenario.Check::ok);
        }
    }
}
