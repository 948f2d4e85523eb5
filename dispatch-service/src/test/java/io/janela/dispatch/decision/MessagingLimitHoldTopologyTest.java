package io.janela.dispatch.decision;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.janela.avro.AccountEvent;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.OutboundRequest;
import io.janela.avro.PreferenceCategory;
import io.janela.avro.PreferenceValue;
import io.janela.avro.Recipient;
import io.janela.avro.RestrictionType;
import io.janela.avro.SendCommand;
import io.janela.avro.UserPreference;
import io.janela.contract.AccountEventKey;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.TopologyHarness;
import io.janela.dispatch.config.DispatchProperties;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code janela.dispatch.decision.messaging-limit.when-reached: hold}: a business-initiated send to a new user beyond
 * the portfolio's messaging limit is held, decided again when room returns in the moving 24 h (or the limit is raised),
 * and ends REJECTED MESSAGING_LIMIT when it was held for {@code max-hold-time} (what the rules say when it leaves the
 * hold: {@link HeldSendRedecisionTopologyTest}); every held send gets exactly one result (a send command, or a
 * refusal). The fixture's number is its account's own portfolio.
 */
class MessagingLimitHoldTopologyTest {

    private TopologyHarness harness;

    @AfterEach
    void stop() {
        harness.closeDrained();
    }

    @Test
    void aSendBeyondTheLimitIsHeldAndSentWhenTheOldestUserLeavesTheMoving24HoursAndTheNextTimesOut() {
        start(2, Duration.ofHours(24));
        limit("TIER_1", 1L, NOW.minusSeconds(60));
        harness.requests.pipeInput("k", template("r-1", "US.1"));
        assertThat(harness.commands.readValue().getRequestId()).isEqualTo("r-1");

        harness.advance(Duration.ofHours(1));
        harness.requests.pipeInput("k", template("r-2", "US.2"));
        harness.requests.pipeInput("k", template("r-3", "US.3"));
        assertThat(harness.results.isEmpty()).as("held: no result yet").isTrue();
        assertThat(harness.commands.isEmpty()).isTrue();
        assertThat(held()).isEqualTo(2.0);
        assertThat(holds("held")).isEqualTo(2.0);

        harness.advance(Duration.ofHours(22).plusMinutes(59)); // NOW + 23 h 59 min: US.1 still counted
        assertThat(harness.commands.isEmpty()).isTrue();
        assertThat(harness.results.isEmpty()).isTrue();

        harness.advance(Duration.ofMinutes(1).plusSeconds(1)); // US.1 left the moving 24 h: room for one
        assertThat(harness.commands.readValuesToList())
                .extracting(SendCommand::getRequestId)
                .as("the oldest held goes first; US.2 now fills the limit")
                .containsExactly("r-2");
        assertThat(harness.results.isEmpty()).isTrue();
        assertThat(held()).isEqualTo(1.0);

        harness.advance(Duration.ofHours(1)); // r-3 held for 24 h, no room until US.2's 24 h are over
        DispatchResult timedOut = harness.results.readValue();
        assertThat(timedOut.getRequestId()).isEqualTo("r-3");
        assertThat(timedOut.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(timedOut.getReason()).isEqualTo(DispatchReason.MESSAGING_LIMIT);
        assertThat(timedOut.getRetryAfter())
                .as("US.2, reached when r-2 went, leaves the moving 24 h")
                .isAfter(NOW.plus(Duration.ofHours(48)))
                .isBefore(NOW.plus(Duration.ofHours(48)).plusSeconds(10));

        harness.advance(Duration.ofHours(30));
        assertThat(harness.commands.isEmpty()).as("each held send ended once").isTrue();
        assertThat(harness.results.isEmpty()).isTrue();
        assertThat(held()).isZero();
        assertThat(holds("released")).isEqualTo(1.0);
        assertThat(holds("timed_out")).isEqualTo(1.0);
        assertThat(decisions("send", "none")).isEqualTo(2.0);
        assertThat(decisions("rejected", "messaging_limit")).isEqualTo(1.0);
    }

    @Test
    void aRaisedLimitReleasesHeldSendsInArrivalOrderAheadOfANewOneAndAReachedUserNeverWaits() {
        start(10, Duration.ofHours(1));
        limit("TIER_1", 1L, NOW.minusSeconds(600));
        harness.requests.pipeInput("k", template("r-1", "US.1"));
        harness.requests.pipeInput("k", template("r-2", "US.2"));
        harness.requests.pipeInput("k", template("r-3", "US.3"));
        harness.requests.pipeInput("k", template("r-4", "US.1"));
        assertThat(harness.commands.readValuesToList())
                .extracting(SendCommand::getRequestId)
                .as("US.1 is counted: r-4 takes no room and does not wait behind the held")
                .containsExactly("r-1", "r-4");

        limit("TIER_10", 10L, NOW.minusSeconds(60));
        harness.requests.pipeInput("k", template("r-5", "US.5"));
        // The held take the room first (kept for them while they are decided again); r-5 finds room left and goes
        // without waiting for their way through the decision.
        assertThat(harness.commands.readValuesToList())
                .extracting(SendCommand::getRequestId)
                .containsExactlyInAnyOrder("r-2", "r-3", "r-5");
        assertThat(held()).isZero();
        assertThat(holds("released")).isEqualTo(2.0);
    }

    @Test
    void aLimitRaisedByTwoReleasesTheTwoOldestHeldInOneCheckAndTheThirdWaits() {
        start(10, Duration.ofHours(1));
        limit("TIER_1", 1L, NOW.minusSeconds(600));
        harness.requests.pipeInput("k", template("r-1", "US.1"));
        harness.requests.pipeInput("k", template("r-2", "US.2"));
        harness.requests.pipeInput("k", template("r-3", "US.3"));
        harness.requests.pipeInput("k", template("r-4", "US.4"));
        assertThat(harness.commands.readValuesToList())
                .extracting(SendCommand::getRequestId)
                .containsExactly("r-1");

        // One check passes over the three held with the room counted once at its start: each release takes one.
        limit("TIER_3", 3L, NOW.minusSeconds(60));
        harness.advance(Duration.ofSeconds(2));
        assertThat(harness.commands.readValuesToList())
                .extracting(SendCommand::getRequestId)
                .containsExactly("r-2", "r-3");
        assertThat(held()).isEqualTo(1.0);
        assertThat(holds("held")).isEqualTo(3.0);
        assertThat(holds("released")).isEqualTo(2.0);
    }

    @Test
    void aHeldSendEndsByWhatItsRequestAndTheRulesSayNowAndASendBeyondTheHoldsIsRefusedAtOnce() {
        start(3, Duration.ofHours(1));
        limit("TIER_1", 1L, NOW.minusSeconds(600));
        harness.requests.pipeInput("k", template("r-1", "US.1"));
        assertThat(harness.commands.readValue().getRequestId()).isEqualTo("r-1");
        harness.requests.pipeInput(
                "k",
                text("r-2", "x")
                        .setRecipient(new Recipient(null, "US.2"))
                        .setPayload(templatePayload("order").build())
                        .setExpiresAt(NOW.plus(Duration.ofMinutes(10)))
                        .build());
        harness.requests.pipeInput("k", marketing("r-3", "US.3"));
        harness.requests.pipeInput("k", template("r-4", "US.4"));
        harness.requests.pipeInput("k", template("r-5", "US.5"));
        DispatchResult full = harness.results.readValue();
        assertThat(full.getRequestId()).as("three held already").isEqualTo("r-5");
        assertThat(full.getReason()).isEqualTo(DispatchReason.MESSAGING_LIMIT);
        assertThat(full.getRetryAfter()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThat(holds("full")).isEqualTo(1.0);

        harness.preferences.pipeInput(PHONE_NUMBER_ID + ":US.3", stop("US.3"));
        AccountEvent restricted =
                Fixtures.restriction(RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING, null, NOW.plusSeconds(60));
        harness.accountEvents.pipeInput(AccountEventKey.of(restricted), restricted);
        harness.advance(Duration.ofMinutes(15));
        assertThat(harness.results.readValuesToList())
                .extracting(DispatchResult::getRequestId, DispatchResult::getOutcome, DispatchResult::getReason)
                .as("the request's own expiry is checked while it is held")
                .containsExactly(tuple("r-2", DispatchOutcome.EXPIRED, DispatchReason.REQUEST_EXPIRED));

        harness.advance(Duration.ofMinutes(46)); // held for max-hold-time: decided again, a last time
        assertThat(harness.results.readValuesToList())
                .extracting(DispatchResult::getRequestId, DispatchResult::getOutcome, DispatchResult::getReason)
                .containsExactly(
                        tuple("r-3", DispatchOutcome.REJECTED, DispatchReason.MARKETING_OPTED_OUT),
                        tuple("r-4", DispatchOutcome.REJECTED, DispatchReason.ACCOUNT_RESTRICTED));
        assertThat(held()).isZero();
        assertThat(holds("expired")).isEqualTo(1.0);
        assertThat(holds("timed_out")).isEqualTo(2.0);

        harness.advance(Duration.ofHours(2));
        assertThat(harness.commands.isEmpty()).isTrue();
        assertThat(harness.results.isEmpty()).isTrue();
    }

    @Test
    void theHoldMetersExistAtZeroFromTheStart() {
        start(10, Duration.ofHours(1));
        for (String outcome : DecisionMetrics.HOLD_OUTCOMES) {
            assertThat(holds(outcome)).as(outcome).isZero();
        }
        assertThat(held()).isZero();
    }

    private void start(int maxHeld, Duration maxHoldTime) {
        harness = holding("messaging-limit-hold-topology-test", maxHeld, maxHoldTime, Duration.ofSeconds(1));
    }

    /** A harness over the decision topology with {@code when-reached: hold}, and the catalog of the limit's tests. */
    static TopologyHarness holding(String scope, int maxHeld, Duration maxHoldTime, Duration checkInterval) {
        DispatchProperties.Decision decision = TopologyHarness.DECISION;
        TopologyHarness harness = new TopologyHarness(
                scope,
                new DispatchProperties.Decision(
                        decision.windowSafetyMargin(),
                        decision.windowGrace(),
                        decision.aliasGrace(),
                        decision.catalogGrace(),
                        decision.parkCheckInterval(),
                        decision.dedupeRetention(),
                        decision.correlationRetention(),
                        new DispatchProperties.MessagingLimit(
                                DispatchProperties.WhenReached.HOLD, maxHeld, maxHoldTime, checkInterval)),
                (topics, settings, config) -> DecisionTopology.build(settings, config));
        MessagingLimitTopologyTest.catalog(harness);
        return harness;
    }

    private void limit(String tier, Long users, Instant at) {
        MessagingLimitTopologyTest.limit(harness, tier, users, at);
    }

    private double held() {
        return harness.meters
                .get("janela.dispatch.messaging.limit.held")
                .tag("portfolio_id", WABA_ID)
                .gauge()
                .value();
    }

    private double holds(String outcome) {
        return holds(harness, outcome);
    }

    static double holds(TopologyHarness harness, String outcome) {
        return harness.meters
                .get("janela.dispatch.messaging.limit.holds")
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private double decisions(String outcome, String reason) {
        return MessagingLimitTopologyTest.decisions(harness, outcome, reason);
    }

    private static UserPreference stop(String userId) {
        return UserPreference.newBuilder()
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(userId)
                .setUserId(userId)
                .setCategory(PreferenceCategory.MARKETING_MESSAGES)
                .setValue(PreferenceValue.STOP)
                .setTimestamp(NOW.plusSeconds(30))
                .setRawJson("{}")
                .build();
    }

    private static OutboundRequest template(String requestId, String userId) {
        return MessagingLimitTopologyTest.template(requestId, userId);
    }

    private static OutboundRequest marketing(String requestId, String userId) {
        return MessagingLimitTopologyTest.marketing(requestId, userId);
    }
}
