package io.janela.dispatch.decision;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static io.janela.dispatch.Fixtures.catalogEntry;
import static io.janela.dispatch.Fixtures.openWindow;
import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.MessageCategory;
import io.janela.avro.OutboundRequest;
import io.janela.avro.Recipient;
import io.janela.avro.SendCommand;
import io.janela.avro.TemplateCategory;
import io.janela.contract.AccountEventKey;
import io.janela.dispatch.TopologyHarness;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The business portfolio's messaging limit (DESIGN.md §4, "The account's own state"; WHATSAPP.md §6.3): unique users
 * reached with business-initiated messages (templates outside an open window) in a moving 24 h, refused REJECTED
 * MESSAGING_LIMIT before any call to Meta beyond the limit Meta last stated. The fixture's number is its account's own
 * portfolio.
 */
class MessagingLimitTopologyTest {

    private TopologyHarness harness;

    @BeforeEach
    void start() {
        harness = new TopologyHarness(
                "messaging-limit-topology-test",
                (topics, settings, config) -> DecisionTopology.build(settings, config));
        catalog(harness);
    }

    /** The utility template "order" and the marketing template "promo" of the fixture's account. */
    static void catalog(TopologyHarness harness) {
        harness.templates.pipeInput(
                WABA_ID + ":order:en_US",
                catalogEntry("order", TemplateCategory.UTILITY, 0).build());
        harness.templates.pipeInput(
                WABA_ID + ":promo:en_US",
                catalogEntry("promo", TemplateCategory.MARKETING, 0).build());
    }

    @AfterEach
    void stop() {
        harness.closeDrained();
    }

    @Test
    void refusesANewUserBeyondTheLimitUntilTheOldestLeavesTheMoving24HoursButNotUsersAlreadyReachedOrReplies() {
        limit("TIER_2", 2L, NOW.minusSeconds(60));

        harness.requests.pipeInput("k", template("r-1", "US.1"));
        harness.advance(Duration.ofHours(1));
        harness.requests.pipeInput("k", template("r-2", "US.2"));
        harness.requests.pipeInput("k", template("r-3", "US.3"));

        assertThat(harness.commands.readValuesToList())
                .extracting(SendCommand::getRequestId)
                .containsExactly("r-1", "r-2");
        DispatchResult refused = harness.results.readValue();
        assertThat(refused.getRequestId()).isEqualTo("r-3");
        assertThat(refused.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(refused.getReason()).isEqualTo(DispatchReason.MESSAGING_LIMIT);
        assertThat(refused.getContactId()).isEqualTo("US.3");
        assertThat(refused.getCategory()).isEqualTo(MessageCategory.UTILITY);
        assertThat(refused.getRetryAfter())
                .as("the oldest counted user (r-1's) leaves the moving 24 h")
                .isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThat(refused.getDetail()).contains("TIER_2");

        // A user already reached is not a new one; a reply inside an open window is not business-initiated.
        harness.requests.pipeInput("k", marketing("r-4", "US.1"));
        harness.windows.pipeInput(
                PHONE_NUMBER_ID + ":US.5",
                openWindow(NOW).setContactId("US.5").setUserId("US.5").build());
        harness.requests.pipeInput(
                "k",
                text("r-5", "hello").setRecipient(new Recipient(null, "US.5")).build());
        assertThat(harness.commands.readValuesToList())
                .extracting(SendCommand::getRequestId)
                .containsExactly("r-4", "r-5");

        assertThat(decisions("rejected", "messaging_limit")).isEqualTo(1.0);
        assertThat(decisions("send", "none")).isEqualTo(4.0);
        assertThat(gauge("janela.dispatch.messaging.limit.reach")).isEqualTo(2.0);
        assertThat(gauge("janela.dispatch.messaging.limit.users")).isEqualTo(2.0);
    }

    @Test
    void aUserCountsForTwentyFourHoursAfterTheLastBusinessInitiatedMessage() {
        limit("TIER_1", 1L, NOW.minusSeconds(60));
        harness.requests.pipeInput("k", template("r-1", "US.1"));
        assertThat(harness.commands.readValue().getRequestId()).isEqualTo("r-1");

        harness.advance(Duration.ofHours(23));
        harness.requests.pipeInput("k", template("r-2", "US.2"));
        assertThat(harness.results.readValue().getRetryAfter()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        harness.requests.pipeInput("k", template("r-3", "US.1"));
        assertThat(harness.commands.readValue().getRequestId())
                .as("reached again: counted from now")
                .isEqualTo("r-3");

        harness.advance(Duration.ofHours(2)); // 25 h after r-1, 2 h after r-3
        harness.requests.pipeInput("k", template("r-4", "US.2"));
        DispatchResult stillFull = harness.results.readValue();
        assertThat(stillFull.getReason()).isEqualTo(DispatchReason.MESSAGING_LIMIT);
        assertThat(stillFull.getRetryAfter()).isEqualTo(NOW.plus(Duration.ofHours(23 + 24)));

        harness.advance(Duration.ofHours(22)); // 24 h after r-3
        harness.requests.pipeInput("k", template("r-5", "US.2"));
        assertThat(harness.commands.readValue().getRequestId()).isEqualTo("r-5");
        assertThat(gauge("janela.dispatch.messaging.limit.reach")).isEqualTo(1.0);
    }

    @Test
    void anUnlimitedTierOrNoStatementRefusesNothing() {
        for (int i = 1; i <= 3; i++) {
            harness.requests.pipeInput("k", template("before-" + i, "US." + i));
        }
        assertThat(harness.commands.readValuesToList()).hasSize(3);
        assertThat(gauge("janela.dispatch.messaging.limit.users")).isNaN();

        limit("TIER_UNLIMITED", null, NOW.minusSeconds(60));
        for (int i = 4; i <= 6; i++) {
            harness.requests.pipeInput("k", template("unlimited-" + i, "US." + i));
        }
        assertThat(harness.commands.readValuesToList()).hasSize(3);
        assertThat(gauge("janela.dispatch.messaging.limit.users")).isNaN();
        assertThat(gauge("janela.dispatch.messaging.limit.reach"))
                .as("users are counted also without a limit")
                .isEqualTo(6.0);
        assertThat(decisions("rejected", "messaging_limit")).isZero();
    }

    @Test
    void aLoweredOrRaisedTierAppliesAtOnce() {
        limit("TIER_3", 3L, NOW.minusSeconds(600));
        for (int i = 1; i <= 3; i++) {
            harness.requests.pipeInput("k", template("r-" + i, "US." + i));
            harness.advance(Duration.ofHours(1));
        }
        assertThat(harness.commands.readValuesToList()).hasSize(3);

        // Lowered to 1 with 3 users counted: room for a new user once two of them left, i.e. r-3's 24 h.
        limit("TIER_1", 1L, NOW.minusSeconds(300));
        harness.requests.pipeInput("k", template("r-4", "US.4"));
        assertThat(harness.results.readValue().getRetryAfter()).isEqualTo(NOW.plus(Duration.ofHours(2 + 24)));

        // Raised: the new user goes.
        limit("TIER_10K", 10_000L, NOW.minusSeconds(200));
        harness.requests.pipeInput("k", template("r-5", "US.4"));
        assertThat(harness.commands.readValue().getRequestId()).isEqualTo("r-5");
        assertThat(gauge("janela.dispatch.messaging.limit.users")).isEqualTo(10_000.0);
    }

    @Test
    void theMeterTheAlertWatchesExistsAtZeroAndTheGaugesFromTheStart() {
        assertThat(decisions("rejected", "messaging_limit")).isZero();
        assertThat(gauge("janela.dispatch.messaging.limit.reach")).isZero();
        assertThat(gauge("janela.dispatch.messaging.limit.users")).isNaN();
    }

    private void limit(String tier, Long users, Instant at) {
        limit(harness, tier, users, at);
    }

    /** A MESSAGING_LIMIT account event of the fixture's account as ingress publishes it (keyed by Meta's time). */
    static void limit(TopologyHarness harness, String tier, Long users, Instant at) {
        AccountEvent event = AccountEvent.newBuilder()
                .setKind(AccountEventKind.MESSAGING_LIMIT)
                .setField("business_capability_update")
                .setWabaId(WABA_ID)
                .setMessagingLimitTier(tier)
                .setMessagingLimit(users)
                .setTimestamp(at)
                .setRawJson("{}")
                .build();
        harness.accountEvents.pipeInput(AccountEventKey.of(event), event);
    }

    static OutboundRequest template(String requestId, String userId) {
        return text(requestId, "x")
                .setRecipient(new Recipient(null, userId))
                .setPayload(templatePayload("order").build())
                .build();
    }

    static OutboundRequest marketing(String requestId, String userId) {
        return text(requestId, "x")
                .setRecipient(new Recipient(null, userId))
                .setPayload(templatePayload("promo").build())
                .build();
    }

    private double decisions(String outcome, String reason) {
        return decisions(harness, outcome, reason);
    }

    static double decisions(TopologyHarness harness, String outcome, String reason) {
        return harness.meters
                .get("janela.dispatch.decisions")
                .tags("outcome", outcome, "reason", reason)
                .counter()
                .count();
    }

    private double gauge(String name) {
        return harness.meters.get(name).tags("portfolio_id", WABA_ID).gauge().value();
    }
}
