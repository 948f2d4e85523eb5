package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.WABA_ID;
import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static io.janela.dispatch.it.RunningDispatch.contact;
import static io.janela.dispatch.it.RunningDispatch.requestId;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.Recipient;
import io.janela.avro.ResultKind;
import io.janela.avro.Template;
import io.janela.avro.TemplateCategory;
import io.janela.contract.TemplateKey;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.decision.DecisionTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code janela.dispatch.decision.messaging-limit.when-reached: hold} on a real broker, against the Cloud API sandbox:
 * a template to a new user beyond the portfolio's messaging limit is held (no result, no call to Meta) until Meta
 * raises the limit, then sent; another is held for {@code max-hold-time} and ends REJECTED MESSAGING_LIMIT. Each gets
 * exactly one outcome.
 */
class MessagingLimitHoldIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAX_HOLD = Duration.ofSeconds(5);

    @RegisterExtension
    static final RunningDispatch dispatch = RunningDispatch.scope("dispatch-messaging-limit-hold-it")
            .with(Map.of(
                    "janela.dispatch.template-sync.enabled", false,
                    "janela.dispatch.decision.messaging-limit.when-reached", "hold",
                    "janela.dispatch.decision.messaging-limit.max-hold-time", "5s",
                    "janela.dispatch.decision.messaging-limit.hold-check-interval", "200ms"))
            .waiting(TIMEOUT)
            .whenStarted(MessagingLimitHoldIT::catalog)
            .exposing("janela_dispatch_messaging_limit_held", "janela_dispatch_messaging_limit_holds_total");

    private static void catalog(DispatchEnvironment environment) {
        Template orderUpdate = Fixtures.catalogEntry("order_update", TemplateCategory.UTILITY, 2)
                .build();
        String key = new TemplateKey(WABA_ID, orderUpdate.getName(), orderUpdate.getLanguage()).format();
        environment.send(environment.topics.templates().name(), key, orderUpdate);
        environment.awaitStored(DecisionTopology.TEMPLATES_STORE, key, value -> true, TIMEOUT);
    }

    @Test
    void aTemplateBeyondTheLimitIsHeldUntilMetaRaisesItAndAnotherEndsRejectedWhenItsHoldIsOver() {
        String first = requestId();
        request(first, contact());
        assertThat(dispatch.outcome(first).getOutcome()).isEqualTo(DispatchOutcome.SENT);
        dispatch.announceMessagingLimit("TIER_IT", counted());

        String held = requestId();
        request(held, contact());
        assertThat(Records.settle(
                        dispatch.results(), result -> held.equals(result.getRequestId()), Duration.ofSeconds(2)))
                .as("held: no result yet")
                .isEmpty();
        assertThat(dispatch.received(held)).as("and no call to Meta").isEmpty();

        dispatch.announceMessagingLimit("TIER_UNLIMITED", null);
        assertThat(dispatch.outcome(held).getOutcome())
                .as("sent once Meta raised the limit")
                .isEqualTo(DispatchOutcome.SENT);
        assertThat(dispatch.accepted(held)).hasSize(1);

        dispatch.announceMessagingLimit("TIER_IT", counted());
        String timedOut = requestId();
        Instant requested = Instant.now();
        request(timedOut, contact());
        DispatchResult refused = dispatch.outcome(timedOut);
        assertThat(refused.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(refused.getReason()).isEqualTo(DispatchReason.MESSAGING_LIMIT);
        assertThat(refused.getDecidedAt()).as("after its hold").isAfterOrEqualTo(requested.plus(MAX_HOLD));
        assertThat(refused.getRetryAfter()).isAfter(Instant.now().plus(Duration.ofHours(23)));
        assertThat(dispatch.received(timedOut)).isEmpty();

        List<DispatchResult> outcomes = Records.settle(
                dispatch.results(),
                result -> result.getKind() == ResultKind.OUTCOME
                        && Set.of(held, timedOut).contains(result.getRequestId()),
                Duration.ofSeconds(2));
        assertThat(outcomes).as("one outcome each").hasSize(2);
    }

    private static void request(String requestId, String userId) {
        dispatch.environment()
                .request(
                        "k",
                        text(requestId, "x")
                                .setRecipient(new Recipient(null, userId))
                                .setCreatedAt(Instant.now())
                                .setPayload(templatePayload("order_update", "Ana", "42")
                                        .build())
                                .build());
    }

    /** The users the fixture's portfolio (its own account) counts now. */
    private static long counted() {
        Long counted = dispatch.stored(DecisionTopology.PORTFOLIO_REACH_STORE, "C|" + WABA_ID);
        assertThat(counted).isPositive();
        return counted;
    }
}
