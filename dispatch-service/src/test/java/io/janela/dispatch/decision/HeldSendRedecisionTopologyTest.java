package io.janela.dispatch.decision;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.USER_ID;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static io.janela.dispatch.Fixtures.WA_ID;
import static io.janela.dispatch.Fixtures.catalogEntry;
import static io.janela.dispatch.Fixtures.closedWindow;
import static io.janela.dispatch.Fixtures.openWindow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.janela.avro.AccountEvent;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.MessageCategory;
import io.janela.avro.OutboundRequest;
import io.janela.avro.PreferenceCategory;
import io.janela.avro.PreferenceValue;
import io.janela.avro.Recipient;
import io.janela.avro.RestrictionType;
import io.janela.avro.SendCommand;
import io.janela.avro.TemplateCategory;
import io.janela.avro.TemplateStatus;
import io.janela.avro.UserPreference;
import io.janela.contract.AccountEventKey;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.TopologyHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A send held at the portfolio's messaging limit ({@code when-reached: hold}) is decided again when it leaves the hold,
 * as a new request would be, with the state of then: the contact's window (its names, and whether the customer wrote
 * meanwhile), the template catalog (status and category), opt-outs, the account's restrictions. A refusal then is the
 * same REJECTED result a new request would get, and the only outcome of the request; nothing goes to Meta. The
 * fixture's contact is known by its user id, with its {@code wa_id} in its window state; its portfolio is its
 * account. The limit is one user, taken by US.1, until it is raised.
 */
class HeldSendRedecisionTopologyTest {

    private static final String BY_USER_ID = PHONE_NUMBER_ID + ":" + USER_ID;
    private static final String BY_WA_ID = PHONE_NUMBER_ID + ":" + WA_ID;
    private static final Duration CHECK = Duration.ofSeconds(1);

    private TopologyHarness harness;

    @BeforeEach
    void start() {
        harness = MessagingLimitHoldTopologyTest.holding(
                "held-send-redecision-topology-test", 10, Duration.ofHours(1), CHECK);
        MessagingLimitTopologyTest.limit(harness, "TIER_1", 1L, NOW.minusSeconds(600));
        harness.requests.pipeInput("k", MessagingLimitTopologyTest.template("r-1", "US.1"));
        assertThat(harness.commands.readValue().getRequestId()).isEqualTo("r-1");
        // The window-service knows the fixture's contact by its user id, with the wa_id its messages carried; its
        // window closed a day ago, so a template to it is business-initiated.
        harness.windows.pipeInput(
                BY_USER_ID, closedWindow(NOW.minus(Duration.ofDays(2))).build());
    }

    @AfterEach
    void stop() {
        harness.closeDrained();
    }

    @Test
    void aMarketingStopNamingOnlyTheWaIdWhileHeldRefusesTheSendWhenItLeavesTheHoldAndNothingGoes() {
        harness.requests.pipeInput("k", toContact("r-2", "promo"));
        assertHeld();
        // Meta's user_preferences item without user_id: ingress keys it by the wa_id, a name the request does not
        // give and only the contact's window state knows.
        harness.preferences.pipeInput(BY_WA_ID, stop(WA_ID, WA_ID));
        harness.advance(CHECK.multipliedBy(3));
        assertThat(harness.results.isEmpty()).as("still held: no room").isTrue();

        raiseLimit();

        DispatchResult refused = harness.results.readValue();
        assertThat(refused.getRequestId()).isEqualTo("r-2");
        assertThat(refused.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(refused.getReason()).isEqualTo(DispatchReason.MARKETING_OPTED_OUT);
        assertThat(refused.getContactId()).isEqualTo(USER_ID);
        assertThat(harness.commands.isEmpty()).as("nothing sent").isTrue();
        assertThat(reach()).as("the user is not counted").isEqualTo(1.0);
        assertThat(redecided("refused", "marketing_opted_out")).isEqualTo(1.0);
        assertThat(MessagingLimitTopologyTest.decisions(harness, "rejected", "marketing_opted_out"))
                .isEqualTo(1.0);
        assertEndedOnce();
    }

    @Test
    void aUtilityTemplateMetaRecategorisedAsMarketingWhileHeldIsRefusedToAContactWhoStoppedMarketing() {
        // The customer stopped marketing long ago: a utility template still goes to them.
        harness.preferences.pipeInput(BY_USER_ID, stop(USER_ID, null));
        harness.requests.pipeInput("k", toContact("r-2", "order"));
        assertHeld();
        // Meta's template_category_update: "order" is marketing now.
        harness.templates.pipeInput(
                WABA_ID + ":order:en_US",
                catalogEntry("order", TemplateCategory.MARKETING, 0).build());

        raiseLimit();

        DispatchResult refused = harness.results.readValue();
        assertThat(refused.getRequestId()).isEqualTo("r-2");
        assertThat(refused.getReason()).isEqualTo(DispatchReason.MARKETING_OPTED_OUT);
        assertThat(refused.getCategory()).isEqualTo(MessageCategory.MARKETING);
        assertThat(harness.commands.isEmpty()).isTrue();
        assertEndedOnce();
    }

    @Test
    void aTemplatePausedWhileHeldIsRefusedWithTheCatalogsReason() {
        harness.requests.pipeInput("k", toContact("r-2", "order"));
        assertHeld();
        harness.templates.pipeInput(
                WABA_ID + ":order:en_US",
                catalogEntry("order", TemplateCategory.UTILITY, 0)
                        .setStatus(TemplateStatus.PAUSED)
                        .build());

        raiseLimit();

        DispatchResult refused = harness.results.readValue();
        assertThat(refused.getRequestId()).isEqualTo("r-2");
        assertThat(refused.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(refused.getReason()).isEqualTo(DispatchReason.TEMPLATE_NOT_APPROVED);
        assertThat(refused.getDetail()).isEqualTo("template order is paused");
        assertThat(harness.commands.isEmpty()).isTrue();
        assertThat(redecided("refused", "template_not_approved")).isEqualTo(1.0);
        assertEndedOnce();
    }

    @Test
    void aHeldTemplateWhoseCustomerWroteMeanwhileIsRefusedByARestrictionOfReplies() {
        harness.requests.pipeInput("k", toContact("r-2", "order"));
        assertHeld();
        // The customer wrote (the window is open: a template now is a reply, no longer business-initiated), and Meta
        // restricted the account's replies.
        harness.windows.pipeInput(BY_USER_ID, openWindow(NOW.plusSeconds(30)).build());
        AccountEvent restricted = Fixtures.restriction(
                RestrictionType.RESTRICTED_CUSTOMER_INITIATED_MESSAGING, null, NOW.plusSeconds(60));
        harness.accountEvents.pipeInput(AccountEventKey.of(restricted), restricted);

        raiseLimit();

        DispatchResult refused = harness.results.readValue();
        assertThat(refused.getRequestId()).isEqualTo("r-2");
        assertThat(refused.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(refused.getReason()).isEqualTo(DispatchReason.ACCOUNT_RESTRICTED);
        assertThat(refused.getRestriction()).isEqualTo(RestrictionType.RESTRICTED_CUSTOMER_INITIATED_MESSAGING);
        assertThat(harness.commands.isEmpty()).isTrue();
        assertThat(redecided("refused", "account_restricted")).isEqualTo(1.0);
        assertEndedOnce();
    }

    @Test
    void aHeldTemplateWhoseCustomerWroteGoesAsAReplyInsideTheWindowWithoutTakingRoomAtTheEndOfItsHold() {
        harness.requests.pipeInput("k", toContact("r-2", "order"));
        assertHeld();
        harness.windows.pipeInput(BY_USER_ID, openWindow(NOW.plusSeconds(30)).build());

        harness.advance(Duration.ofHours(1).plus(CHECK)); // no room came: its hold is over

        SendCommand sent = harness.commands.readValue();
        assertThat(sent.getRequestId()).isEqualTo("r-2");
        assertThat(sent.getDecidedAt()).as("decided again").isAfter(NOW.plus(Duration.ofHours(1)));
        assertThat(harness.results.isEmpty()).as("not REJECTED MESSAGING_LIMIT").isTrue();
        assertThat(reach()).as("a reply inside the window takes no room").isEqualTo(1.0);
        assertThat(redecided("in_window", "none")).isEqualTo(1.0);
        assertThat(holds("timed_out")).isEqualTo(1.0);
        assertEndedOnce();
    }

    @Test
    void aHeldSendNothingChangedForIsSentWhenRoomReturnsAndCountedThen() {
        harness.requests.pipeInput("k", toContact("r-2", "promo"));
        assertHeld();

        raiseLimit();

        SendCommand sent = harness.commands.readValue();
        assertThat(sent.getRequestId()).isEqualTo("r-2");
        assertThat(sent.getPrimary().getCategory()).isEqualTo(MessageCategory.MARKETING);
        assertThat(harness.results.isEmpty()).isTrue();
        assertThat(reach()).isEqualTo(2.0);
        assertThat(redecided("sent", "none")).isEqualTo(1.0);
        assertThat(holds("released")).isEqualTo(1.0);
        assertThat(MessagingLimitTopologyTest.decisions(harness, "send", "none"))
                .as("r-1 and r-2, each once")
                .isEqualTo(2.0);
        assertEndedOnce();
    }

    @Test
    void theRoomKeptForAHeldSendRefusedWhenDecidedAgainGoesToTheNextOneHeld() {
        harness.requests.pipeInput("k", MessagingLimitTopologyTest.marketing("r-2", "US.2"));
        harness.requests.pipeInput("k", MessagingLimitTopologyTest.template("r-3", "US.3"));
        harness.requests.pipeInput("k", MessagingLimitTopologyTest.template("r-4", "US.4"));
        assertThat(harness.results.isEmpty()).isTrue();
        assertThat(harness.commands.isEmpty()).isTrue();
        harness.preferences.pipeInput(PHONE_NUMBER_ID + ":US.2", stop("US.2", null));

        // Room for one more user.
        MessagingLimitTopologyTest.limit(harness, "TIER_2", 2L, NOW.minusSeconds(60));
        for (int check = 0; check < 3; check++) {
            harness.advance(CHECK);
        }

        assertThat(harness.results.readValuesToList())
                .extracting(DispatchResult::getRequestId, DispatchResult::getReason)
                .containsExactly(tuple("r-2", DispatchReason.MARKETING_OPTED_OUT));
        assertThat(harness.commands.readValuesToList())
                .extracting(SendCommand::getRequestId)
                .as("r-2's room goes to r-3, the next held; r-4 still waits")
                .containsExactly("r-3");
        assertThat(reach()).isEqualTo(2.0);
        assertThat(held()).isEqualTo(1.0);

        harness.advance(Duration.ofHours(1));
        DispatchResult timedOut = harness.results.readValue();
        assertThat(timedOut.getRequestId()).isEqualTo("r-4");
        assertThat(timedOut.getReason()).isEqualTo(DispatchReason.MESSAGING_LIMIT);
        assertThat(redecided("timed_out", "messaging_limit")).isEqualTo(1.0);
        assertEndedOnce();
    }

    @Test
    void theRedecisionMetersExistAtZeroFromTheStart() {
        for (var outcome : DecisionMetrics.REDECIDED_OUTCOMES.entrySet()) {
            List<String> reasons = outcome.getValue().isEmpty()
                    ? List.of("none")
                    : outcome.getValue().stream()
                            .map(reason -> reason.name().toLowerCase(java.util.Locale.ROOT))
                            .toList();
            for (String reason : reasons) {
                assertThat(redecided(outcome.getKey(), reason))
                        .as(outcome.getKey() + " " + reason)
                        .isZero();
            }
        }
        assertThat(redecided("refused", "marketing_opted_out")).isZero();
        assertThat(redecided("refused", "account_restricted")).isZero();
        assertThat(redecided("refused", "template_not_approved")).isZero();
    }

    /** Meta raises the limit; the next check finds room. */
    private void raiseLimit() {
        MessagingLimitTopologyTest.limit(harness, "TIER_10", 10L, NOW.minusSeconds(60));
        harness.advance(CHECK.multipliedBy(2));
    }

    private void assertHeld() {
        assertThat(harness.results.isEmpty()).as("held: no result").isTrue();
        assertThat(harness.commands.isEmpty()).as("held: not sent").isTrue();
        assertThat(held()).isEqualTo(1.0);
    }

    /** Nothing more comes, however long: the held send had one outcome. */
    private void assertEndedOnce() {
        harness.advance(Duration.ofHours(2));
        assertThat(harness.commands.isEmpty()).isTrue();
        assertThat(harness.results.isEmpty()).isTrue();
        assertThat(held()).isZero();
    }

    private static OutboundRequest toContact(String requestId, String template) {
        return Fixtures.text(requestId, "x")
                .setRecipient(new Recipient(null, USER_ID))
                .setPayload(Fixtures.templatePayload(template).build())
                .build();
    }

    private static UserPreference stop(String contactId, String waId) {
        return UserPreference.newBuilder()
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(contactId)
                .setWaId(waId)
                .setUserId(waId == null ? contactId : null)
                .setCategory(PreferenceCategory.MARKETING_MESSAGES)
                .setValue(PreferenceValue.STOP)
                .setTimestamp(NOW.plusSeconds(20))
                .setRawJson("{}")
                .build();
    }

    private double redecided(String outcome, String reason) {
        return harness.meters
                .get("janela.dispatch.messaging.limit.redecided")
                .tags("outcome", outcome, "reason", reason)
                .counter()
                .count();
    }

    private double holds(String outcome) {
        return MessagingLimitHoldTopologyTest.holds(harness, outcome);
    }

    private double reach() {
        return gauge("janela.dispatch.messaging.limit.reach");
    }

    private double held() {
        return gauge("janela.dispatch.messaging.limit.held");
    }

    private double gauge(String name) {
        return harness.meters.get(name).tag("portfolio_id", WABA_ID).gauge().value();
    }
}
