package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.Recipient;
import io.janela.sandbox.control.LoggedRequest;
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
 * Issue 16's crash claim, proven with a process kill: the dispatch-service runs in a child JVM, sends a burst of
 * requests to the Cloud API sandbox (Meta's stand-in, answering slowly so that many calls are in flight and more are
 * journaled ahead), and is killed with SIGKILL in the middle. Started again (same instance id: the same
 * transactional id and static group member), it must end every request with exactly one outcome, and the sandbox must
 * have received every request exactly once: the calls in flight at the kill are settled by their status webhooks, the
 * ones journaled but never made are sent once, on evidence.
 *
 * <p>Behind the {@code kill-its} profile (a child JVM started twice costs more than the default build should):
 * {@code ./mvnw -B -o -pl dispatch-service -am verify -Pkill-its -Dit.test=SenderKillIT
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
class SenderKillIT {

    private static final int REQUESTS = 150;
    private static final String PREFIX = "kill-";

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    static KillHarness harness;

    @BeforeAll
    static void start() {
        // 20/s: the pacer holds calls journaled ahead (lookahead) while fewer than max-in-flight are in flight, so that
        // the kill leaves both kinds of ATTEMPTING entries: calls Meta has, and calls never made.
        harness = new KillHarness(kafka.broker(), "dispatch-kill-it", 20, Map.of(), Map.of());
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void aSigkillInTheMiddleOfABurstSendsNothingTwiceAndLeavesExactlyOneOutcomePerRequest() {
        DispatchEnvironment environment = harness.environment;
        List<String> requestIds = KillHarness.requestIds(PREFIX, REQUESTS);
        Instant began = Instant.now();
        int acceptedBeforeKill;
        try (DispatchChildProcess first = harness.startReady()) {
            for (int i = 0; i < REQUESTS; i++) {
                environment.window("US.kill" + i, Instant.now().minus(Duration.ofHours(1)));
            }
            // Meta accepts at once but answers after 2 s: at the kill, calls Meta has are still unanswered.
            environment.sandbox().latency(Duration.ofSeconds(2), Duration.ZERO);
            for (int i = 0; i < REQUESTS; i++) {
                environment.request(
                        "k",
                        text(requestIds.get(i), "your order shipped")
                                .setRecipient(new Recipient(null, "US.kill" + i))
                                .build());
            }
            acceptedBeforeKill = harness.killOnceAccepted(first, PREFIX, 40, Duration.ofSeconds(60));
        }
        Instant killed = Instant.now();
        assertThat(acceptedBeforeKill).as("killed in the middle").isLessThan(REQUESTS);
        environment.sandbox().latency(Duration.ZERO, Duration.ZERO);

        try (DispatchChildProcess second = harness.start()) {
            second.awaitReady(KillHarness.START);
            Instant ready = Instant.now();
            environment.assertSentExactlyOnce(requestIds, PREFIX, Duration.ofSeconds(120), Duration.ofSeconds(3));
            // Issue 16, item 10: the restarted sender (same static member) sends again without waiting out the dead
            // one's session; what remains is the JVM's and Spring's start.
            Instant firstSendAgain = environment.sandbox().requests().stream()
                    .filter(request -> request.callbackData() != null
                            && request.callbackData().startsWith(PREFIX)
                            && request.receivedAt().isAfter(killed))
                    .map(LoggedRequest::receivedAt)
                    .min(Instant::compareTo)
                    .orElseThrow();
            System.out.printf(
                    "SenderKillIT: %d requests, %d accepted by Meta before the SIGKILL, all settled %d s after the"
                            + " first start; from the SIGKILL: restarted child ready after %.1f s, first send again"
                            + " after %.1f s%n",
                    REQUESTS,
                    acceptedBeforeKill,
                    Duration.between(began, Instant.now()).toSeconds(),
                    Duration.between(killed, ready).toMillis() / 1000.0,
                    Duration.between(killed, firstSendAgain).toMillis() / 1000.0);
        }
    }
}
