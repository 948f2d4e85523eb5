package io.janela.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's quick part, in every {@code verify} (CI): the whole stack from the packaged jars, new contacts
 * by Meta-like webhooks while the window-service is SIGKILLed once inside a transaction holding an OPENED; every
 * invariant of {@link WindowServiceKillScenario} must hold (nothing acknowledged lost, exactly one committed OPENED per
 * contact, the aborted OPENED written again once, no store restored from scratch after the kill; the service is
 * stopped cleanly and restarted once before it, see {@code SupervisedKill.stopCleanlyAndRestart}). The rest of the suite runs on demand ({@code -Pfaults},
 * docs/reliability.md). Every wait is bounded (the scenario's own: each restart within 5 minutes, the webhooks' 200s
 * within 2, the OPENED within 2) and nothing depends on a tight timing; the report is written to
 * {@code target/faults/quick-report.md} and, when the run fails, the stack's data directory (Kafka's log, every
 * service's log) is kept and named in the failure.
 */
class QuickFaultsIT {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    @Test
    void aWindowServiceKilledMidTransactionLosesNothingAndDoublesNoOpened() throws Exception {
        Path report = Path.of("target", "faults", "quick-report.md");
        Files.deleteIfExists(report);

        FaultSuite.Report run = FaultSuite.run(Map.of(
                "scenarios", "window",
                "contacts", "200",
                "rate", "20",
                "kills", "1",
                "data", data.toString(),
                "report", report.toString()));

        assertThat(run.passed())
                .as("the quick fault scenario (report %s, stack data kept in %s):%n%s", run.file(), data, run.text())
                .isTrue();
        assertThat(run.text())
                .contains("[ok] no OPENED doubled")
                .contains("[ok] the service was killed 1 times")
                .contains("[ok] no store was restored from scratch after a kill");
    }
}
