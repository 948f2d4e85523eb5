package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DispatchResult;
import io.janela.avro.Recipient;
import io.janela.avro.ResultKind;
import io.janela.sandbox.control.LoggedRequest;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import io.janela.testsupport.kafka.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16 item 4, proven with a process kill: a crash in the middle of fallbacks. Janela believes the windows open,
 * Meta does not: every free-form message is refused in Meta's answer with 131047 (the sandbox's synchronous window
 * enforcement) and the request's fallback template goes instead. The child JVM is killed with SIGKILL while fallback
 * templates are in flight (Meta has them, their answers are not back). Started again, the fallback state must come
 * back from the journal: every request ends with exactly one OUTCOME, SENT as its fallback template, naming the
 * refusal ({@code primaryRefusedWith}: how the window-service learns Meta closed the window), and Meta received exactly
 * one template per request.
 *
 * <p>Behind the {@code kill-its} profile: {@code ./mvnw -B -o -pl dispatch-service -am verify -Pkill-its
 * -Dit.test=FallbackKillIT -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
class FallbackKillIT {

    private static final int REQUESTS = 80;
    private static final String PREFIX = "fallback-kill-";
    private static final String TEMPLATE = "order_update";

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    static KillHarness harness;

    @BeforeAll
    static void start() {
        harness = new KillHarness(
                kafka.broker(),
                "dispatch-fallback-kill-it",
                20,
                // The fallback template must be in the catalog for the decision to plan it.
                Map.of("janela.dispatch.template-sync.enabled", true),
                Map.of("janela.sandbox.window-enforcement", "SYNC"));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void aSigkillDuringFallbacksSendsEachTemplateOnceAndTheResultsStillNameMetasRefusal() {
        DispatchEnvironment environment = harness.environment;
        List<String> requestIds = KillHarness.requestIds(PREFIX, REQUESTS);
        Instant began = Instant.now();
        int templatesBeforeKill;
        try (DispatchChildProcess first = harness.startReady()) {
            environment.awaitCatalog(List.of(TEMPLATE), Duration.ofSeconds(60));
            for (int i = 0; i < REQUESTS; i++) {
                // Open for Janela (window state), closed for Meta (the sandbox never heard from the customer).
                environment.windowState("US.fallback" + i, Instant.now().minus(Duration.ofHours(1)));
            }
            // Every answer, the 131047 refusals included, takes 2 s: at the kill, fallbacks Meta has are unanswered.
            environment.sandbox().latency(Duration.ofSeconds(2), Duration.ZERO);
            for (int i = 0; i < REQUESTS; i++) {
                environment.request(
                        "k",
                        text(requestIds.get(i), "your order shipped")
                                .setRecipient(new Recipient(null, "US.fallback" + i))
                                .setFallbackTemplate(templatePayload(TEMPLATE, "Ana", String.valueOf(i))
                                        .build())
                                .build());
            }
            templatesBeforeKill = harness.killOnceAccepted(first, PREFIX, 25, Duration.ofSeconds(90));
        }
        assertThat(templatesBeforeKill).as("killed in the middle").isLessThan(REQUESTS);
        int outcomesBeforeKill =
                committedOutcomes(requestIds, Duration.ofSeconds(2)).size();
        assertThat(outcomesBeforeKill)
                .as("some fallback templates Meta had were not answered, or their results not committed, at the kill")
                .isLessThan(templatesBeforeKill);
        environment.sandbox().latency(Duration.ZERO, Duration.ZERO);

        try (DispatchChildProcess second = harness.start()) {
            List<DispatchResult> outcomes = environment.assertSentExactlyOnce(
                    requestIds, PREFIX, Duration.ofSeconds(120), Duration.ofSeconds(3));
            assertThat(outcomes).allSatisfy(outcome -> {
                assertThat(outcome.getFallbackUsed()).as("sent as the fallback").isTrue();
                assertThat(outcome.getTemplateName()).isEqualTo(TEMPLATE);
                assertThat(outcome.getPrimaryRefusedWith())
                        .as("the result names Meta's refusal of %s", outcome.getRequestId())
                        .isEqualTo(131047);
                assertThat(outcome.getPrimaryRefusedAt()).isNotNull();
            });
            assertThat(environment.accepted(PREFIX))
                    .as("what Meta took: templates only, the free-form messages were all refused")
                    .extracting(LoggedRequest::templateName)
                    .containsOnly(TEMPLATE);
            System.out.printf(
                    "FallbackKillIT: %d requests, %d fallback templates accepted by Meta before the SIGKILL (%d results"
                            + " committed), all settled %d s after the first start%n",
                    REQUESTS,
                    templatesBeforeKill,
                    outcomesBeforeKill,
                    Duration.between(began, Instant.now()).toSeconds());
        }
    }

    private static List<DispatchResult> committedOutcomes(List<String> requestIds, Duration quiet) {
        try (TopicReader<String, DispatchResult> results = harness.environment.results()) {
            return Records.settle(
                    results,
                    result -> result.getKind() == ResultKind.OUTCOME && requestIds.contains(result.getRequestId()),
                    quiet);
        }
    }
}
