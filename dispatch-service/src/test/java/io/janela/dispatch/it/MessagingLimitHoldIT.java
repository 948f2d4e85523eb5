package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static io.janela.dispatch.it.RunningDispatch.contact;
import static io.janela.dispatch.it.RunningDispatch.requestId;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.PreferenceCategory;
import io.janela.avro.PreferenceValue;
import io.janela.avro.Recipient;
import io.janela.avro.ResultKind;
import io.janela.avro.Template;
import io.janela.avro.TemplateCategory;
import io.janela.avro.UserPreference;
import io.janela.contract.ContactKey;
import io.janela.contract.TemplateKey;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.decision.DecisionTopology;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code janela.dispatch.decision.messaging-limit.when-reached: hold} on a real broker, against the Cloud API sandbox:
 * a template to a new user beyond the portfolio's messaging limit is held (no result, no call to Meta) until Meta
 * raises the limit, then sent; another is held for {@code max-hold-time} and ends REJECTED MESSAGING_LIMIT; a marketing
 * template whose customer stops marketing while it is held is decided again when room returns and refused
 * MARKETING_OPTED_OUT, without a call to Meta. Each gets exactly one outcome.
 */
class MessagingLimitHoldIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAX_HOLD = Duration.ofSeconds(5);
    private static final String PROMOTION = "hold_promotion";

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
        Template promotion =
                Fixtures.catalogEntry(PROMOTION, TemplateCategory.MARKETING, 0).build();
        String promotionKey = new TemplateKey(WABA_ID, promotion.getName(), promotion.getLanguage()).format();
        environment.send(environment.topics.templates().name(), promotionKey, promotion);
        environment.awaitStored(DecisionTopology.TEMPLATES_STORE, promotionKey, value -> true, TIMEOUT);
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

    @Test
    void aMarketingTemplateHeldWhileItsCustomerStopsMarketingIsRefusedWhenItLeavesTheHoldWithoutACallToMeta() {
        dispatch.announceMessagingLimit("TIER_UNLIMITED", null);
        String first = requestId();
        request(first, contact());
        assertThat(dispatch.outcome(first).getOutcome()).isEqualTo(DispatchOutcome.SENT);
        dispatch.announceMessagingLimit("TIER_IT", counted());

        // The window-service knows the customer by user id, with the wa_id its messages carried; its window closed.
        String customer = contact();
        String waId = "1555" + ThreadLocalRandom.current().nextLong(1_000_000L, 9_999_999L);
        String contactKey = new ContactKey(PHONE_NUMBER_ID, customer).format();
        dispatch.environment()
                .send(
                        dispatch.environment().topics.windowState().name(),
                        contactKey,
                        Fixtures.closedWindow(
                                        Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS))
                                .setContactId(customer)
                                .setUserId(customer)
                                .setWaId(waId)
                                .build());
        dispatch.awaitStored(DecisionTopology.WINDOW_STORE, contactKey);
        String held = requestId();
        dispatch.environment()
                .request(
                        "k",
                        text(held, "x")
                                .setRecipient(new Recipient(null, customer))
                                .setCreatedAt(Instant.now())
                                .setPayload(templatePayload(PROMOTION).build())
                                .build());
        assertThat(Records.settle(
                        dispatch.results(), result -> held.equals(result.getRequestId()), Duration.ofSeconds(2)))
                .as("held: no result yet")
                .isEmpty();
        // The customer stops marketing; Meta's user_preferences item names only the wa_id (ingress keys it so).
        String stopKey = new ContactKey(PHONE_NUMBER_ID, waId).format();
        dispatch.environment()
                .send(
                        dispatch.environment().topics.userPreferences().name(),
                        stopKey,
                        UserPreference.newBuilder()
                                .setPhoneNumberId(PHONE_NUMBER_ID)
                                .setWabaId(WABA_ID)
                                .setContactId(waId)
                                .setWaId(waId)
                                .setCategory(PreferenceCategory.MARKETING_MESSAGES)
                                .setValue(PreferenceValue.STOP)
                                .setTimestamp(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                                .setRawJson("{}")
                                .build());
        dispatch.awaitStored(DecisionTopology.PREFERENCES_STORE, stopKey);

        dispatch.announceMessagingLimit("TIER_UNLIMITED", null);
        DispatchResult refused = dispatch.outcome(held);
        assertThat(refused.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(refused.getReason())
                .as("decided again when room returned, with the stop")
                .isEqualTo(DispatchReason.MARKETING_OPTED_OUT);
        assertThat(dispatch.received(held)).as("no call to Meta").isEmpty();
        assertThat(Records.settle(
                        dispatch.results(),
                        result -> result.getKind() == ResultKind.OUTCOME && held.equals(result.getRequestId()),
                        Duration.ofSeconds(2)))
                .as("one outcome")
                .hasSize(1);
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
