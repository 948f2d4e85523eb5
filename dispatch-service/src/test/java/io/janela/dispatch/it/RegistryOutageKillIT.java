package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.Recipient;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16 item 1 across a crash: the schema registry is down when the dispatch-service starts again after a SIGKILL,
 * and comes back later. The restarted child JVM has nothing cached: it cannot read a send command, a journal entry, a
 * status or a new request, nor write a journal entry or a result, until the registry answers. Nothing may be skipped
 * meanwhile (a request never sent, never answered), nothing sent without its journal entry (sent twice after), and
 * once the registry is back every request must end with exactly one outcome and reach Meta exactly once: those in
 * flight at the kill, those journaled but never made, those not yet read, and requests produced during the outage.
 *
 * <p>Behind the {@code kill-its} profile: {@code ./mvnw -B -o -pl dispatch-service -am verify -Pkill-its
 * -Dit.test=RegistryOutageKillIT -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
class RegistryOutageKillIT {

    private static final int BEFORE = 120;
    private static final int DURING = 30;
    private static final String PREFIX = "outage-kill-";
    private static final Duration OUTAGE_AFTER_FIRST_REFUSAL = Duration.ofSeconds(10);

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    static KillHarness harness;

    @BeforeAll
    static void start() {
        harness = new KillHarness(
                kafka.broker(),
                "dispatch-registry-outage-kill-it",
                20,
                // Read again soon after the registry is back (the default backoff grows to 30 s).
                Map.of("janela.dispatch.sender.registry-retry-max-backoff", "2s"),
                Map.of());
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void aRegistryDownWhenTheKilledServiceStartsAgainSkipsNothingAndSendsNothingTwice() {
        DispatchEnvironment environment = harness.environment;
        List<String> requestIds = KillHarness.requestIds(PREFIX, BEFORE + DURING);
        Instant began = Instant.now();
        int acceptedBeforeKill;
        try (DispatchChildProcess first = harness.startReady()) {
            // Meta accepts at once but answers after 2 s: at the kill, calls Meta has are still unanswered.
            environment.sandbox().latency(Duration.ofSeconds(2), Duration.ZERO);
            for (int i = 0; i < BEFORE; i++) {
                request(i);
            }
            acceptedBeforeKill = harness.killOnceAccepted(first, PREFIX, 30, Duration.ofSeconds(60));
        }
        assertThat(acceptedBeforeKill).as("killed in the middle").isLessThan(BEFORE);
        environment.sandbox().latency(Duration.ZERO, Duration.ZERO);

        harness.registry.unavailable(true);
        int refused;
        Instant outageSeen;
        boolean gaveUp;
        try (DispatchChildProcess second = harness.start()) {
            for (int i = BEFORE; i < BEFORE + DURING; i++) {
                request(i); // the test's producer reaches the registry in-process: only the service sees the outage
            }
            await("the restarted service tried the registry")
                    .atMost(KillHarness.START)
                    .until(() -> harness.registry.refused() > 0);
            outageSeen = Instant.now();
            await("nothing sent while the journal cannot be written")
                    .during(OUTAGE_AFTER_FIRST_REFUSAL)
                    .atMost(OUTAGE_AFTER_FIRST_REFUSAL.plusSeconds(5))
                    .until(() -> environment.accepted(PREFIX).size() == acceptedBeforeKill);
            refused = harness.registry.refused();
            // With a cold schema cache the service may not start at all: its global tables (marketing holds) must
            // read the results' schemas, and a global thread that cannot read a record ends the application. It then
            // exits, as it should rather than run half-blind; in Kubernetes the pod is restarted, and deploy's
            // wait-for-contract init container holds the restart until the registry answers. Either way nothing was
            // sent above, and nothing may be lost or doubled below.
            gaveUp = !second.alive();
            harness.registry.unavailable(false);
            Instant back = Instant.now();
            if (gaveUp) {
                try (DispatchChildProcess third = harness.startReady()) {
                    settle(requestIds, refused, outageSeen, back, began, acceptedBeforeKill, "restarted after exiting");
                }
            } else {
                settle(requestIds, refused, outageSeen, back, began, acceptedBeforeKill, "waited it out");
            }
        }
    }

    private static void settle(
            List<String> requestIds,
            int refused,
            Instant outageSeen,
            Instant back,
            Instant began,
            int acceptedBeforeKill,
            String how) {
        harness.environment.assertSentExactlyOnce(requestIds, PREFIX, Duration.ofSeconds(150), Duration.ofSeconds(3));
        System.out.printf(
                "RegistryOutageKillIT: %d requests (%d produced during the outage), %d accepted by Meta before the"
                        + " SIGKILL; registry down for the restart, %d calls to it refused over %d s; the service %s;"
                        + " all settled %d s after the registry came back, %d s after the first start%n",
                BEFORE + DURING,
                DURING,
                acceptedBeforeKill,
                refused,
                Duration.between(outageSeen, back).toSeconds(),
                how,
                Duration.between(back, Instant.now()).toSeconds(),
                Duration.between(began, Instant.now()).toSeconds());
    }

    private static void request(int i) {
        DispatchEnvironment environment = harness.environment;
        String contact = "US.outage" + i;
        environment.window(contact, Instant.now().minus(Duration.ofHours(1)));
        environment.request(
                "k",
                text(PREFIX + i, "your order shipped")
                        .setRecipient(new Recipient(null, contact))
                        .build());
    }
}
