package io.janela.dispatch.decision;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.USER_ID;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static io.janela.dispatch.Fixtures.WA_ID;
import static io.janela.dispatch.Fixtures.catalogEntry;
import static io.janela.dispatch.Fixtures.openWindow;
import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.AccountEvent;
import io.janela.avro.ContactWindow;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.MessageCategory;
import io.janela.avro.OutboundRequest;
import io.janela.avro.PreferenceCategory;
import io.janela.avro.PreferenceValue;
import io.janela.avro.RestrictionType;
import io.janela.avro.ResultKind;
import io.janela.avro.SendCommand;
import io.janela.avro.TemplateCategory;
import io.janela.avro.UserPreference;
import io.janela.contract.AccountEventKey;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.TopologyHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules keyed by contact apply whichever of its names Meta used (DESIGN.md §4, "Identity"), and the account's own
 * state refuses before any call to Meta ("The account's own state").
 */
class ContactAndAccountPolicyTopologyTest {

    private static final String BY_USER_ID = PHONE_NUMBER_ID + ":" + USER_ID;
    private static final String BY_WA_ID = PHONE_NUMBER_ID + ":" + WA_ID;

    private TopologyHarness harness;

    @BeforeEach
    void start() {
        harness = new TopologyHarness(
                "policy-topology-test", (topics, settings, config) -> DecisionTopology.build(settings, config));
        harness.templates.pipeInput(
                WABA_ID + ":promo:en_US",
                catalogEntry("promo", TemplateCategory.MARKETING, 0).build());
        harness.templates.pipeInput(
                WABA_ID + ":order:en_US",
                catalogEntry("order", TemplateCategory.UTILITY, 0).build());
    }

    @AfterEach
    void stop() {
        harness.closeDrained();
    }

    @Test
    void aMarketingStopNamingOnlyTheWaIdRefusesMarketingToTheContactAddressedByItsUserId() {
        // The window-service knows the contact by its user id, with the wa_id its messages carried.
        harness.windows.pipeInput(BY_USER_ID, closedWindow());
        // Meta's user_preferences item without user_id: ingress keys it by the wa_id.
        harness.preferences.pipeInput(BY_WA_ID, preference(WA_ID, PreferenceValue.STOP, NOW.minusSeconds(60)));

        harness.requests.pipeInput("k", marketing("r-1"));

        DispatchResult result = harness.results.readValue();
        assertThat(result.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(result.getReason()).isEqualTo(DispatchReason.MARKETING_OPTED_OUT);
        assertThat(result.getContactId()).isEqualTo(USER_ID);
    }

    @Test
    void aNewerResumeUnderTheUserIdLiftsAnOlderStopUnderTheWaId() {
        harness.windows.pipeInput(BY_USER_ID, closedWindow());
        harness.preferences.pipeInput(BY_WA_ID, preference(WA_ID, PreferenceValue.STOP, NOW.minusSeconds(120)));
        harness.preferences.pipeInput(BY_USER_ID, preference(USER_ID, PreferenceValue.RESUME, NOW.minusSeconds(60)));

        harness.requests.pipeInput("k", marketing("r-1"));

        assertThat(harness.commands.readValue().getRequestId()).isEqualTo("r-1");
    }

    @Test
    void aRequestNamingBothTheUserIdAndThePhoneNumberFindsAStopUnderEither() {
        harness.preferences.pipeInput(BY_WA_ID, preference(WA_ID, PreferenceValue.STOP, NOW.minusSeconds(60)));

        harness.requests.pipeInput(
                "k",
                OutboundRequest.newBuilder(marketing("r-1"))
                        .setRecipient(new io.janela.avro.Recipient("+" + WA_ID, USER_ID))
                        .build());

        assertThat(harness.results.readValue().getReason()).isEqualTo(DispatchReason.MARKETING_OPTED_OUT);
    }

    @Test
    void holdsAContactsMarketingOutsideTheWindowForADayAfterMetaAnswered131049UnderItsOtherName() {
        harness.windows.pipeInput(BY_USER_ID, closedWindow());
        Instant until = NOW.plus(Duration.ofHours(23));
        // The sender's FAILED result of an earlier request addressed by phone number (contact = the wa_id).
        harness.senderResults.pipeInput(BY_WA_ID, heldResult(WA_ID, until));

        harness.requests.pipeInput("k", marketing("r-1"));
        harness.requests.pipeInput("k", template("r-2", "order"));

        DispatchResult refused = harness.results.readValue();
        assertThat(refused.getRequestId()).isEqualTo("r-1");
        assertThat(refused.getReason()).isEqualTo(DispatchReason.MARKETING_USER_LIMIT);
        assertThat(refused.getRetryAfter()).isEqualTo(until);
        assertThat(harness.commands.readValue().getRequestId())
                .as("utility templates are not held")
                .isEqualTo("r-2");
    }

    @Test
    void marketingInsideAnOpenWindowIsNotHeldAndAnEndedHoldHoldsNothing() {
        harness.windows.pipeInput(
                BY_USER_ID, openWindow(NOW.minus(Duration.ofHours(1))).build());
        harness.senderResults.pipeInput(BY_USER_ID, heldResult(USER_ID, NOW.plus(Duration.ofHours(5))));
        harness.requests.pipeInput("k", marketing("r-1"));
        assertThat(harness.commands.readValue().getRequestId()).isEqualTo("r-1");

        harness.windows.pipeInput(BY_USER_ID, closedWindow());
        harness.senderResults.pipeInput(BY_USER_ID, heldResult(USER_ID, NOW.minusSeconds(1)));
        harness.requests.pipeInput("k", marketing("r-2"));
        assertThat(harness.results.readValue().getReason())
                .as("an earlier hold does not shorten a later one")
                .isEqualTo(DispatchReason.MARKETING_USER_LIMIT);
    }

    @Test
    void aReplyInsideTheWindowKeepsItsMarketingFallbackOnlyWhileTheContactNeitherStoppedMarketingNorIsHeld() {
        // The reply itself reads neither the preferences nor the holds; its checked fallback, a marketing template
        // sent after a 131047, does, under every name of the contact.
        harness.windows.pipeInput(
                BY_USER_ID, openWindow(NOW.minus(Duration.ofHours(1))).build());
        harness.requests.pipeInput("k", reply("r-1", "promo"));
        assertThat(harness.commands.readValue().getFallback())
                .as("nothing refuses the fallback")
                .isNotNull();

        harness.preferences.pipeInput(BY_WA_ID, preference(WA_ID, PreferenceValue.STOP, NOW.minusSeconds(60)));
        harness.requests.pipeInput("k", reply("r-2", "promo"));
        SendCommand stopped = harness.commands.readValue();
        assertThat(stopped.getRequestId()).isEqualTo("r-2");
        assertThat(stopped.getFallback()).as("the contact stopped marketing").isNull();

        harness.preferences.pipeInput(BY_USER_ID, preference(USER_ID, PreferenceValue.RESUME, NOW.minusSeconds(30)));
        harness.senderResults.pipeInput(BY_WA_ID, heldResult(WA_ID, NOW.plus(Duration.ofHours(5))));
        harness.requests.pipeInput("k", reply("r-3", "promo"));
        harness.requests.pipeInput("k", reply("r-4", "order"));
        List<SendCommand> held = harness.commands.readValuesToList();
        assertThat(held).extracting(SendCommand::getRequestId).containsExactly("r-3", "r-4");
        assertThat(held.get(0).getFallback())
                .as("Meta holds the contact's marketing")
                .isNull();
        assertThat(held.get(1).getFallback())
                .as("a utility fallback is not held")
                .isNotNull();
    }

    @Test
    void refusesBusinessInitiatedMessagesWhileTheAccountIsRestrictedAndRepliesStillGo() {
        Instant expiry = NOW.plus(Duration.ofDays(2));
        harness.accountEvents.pipeInput(
                key(restrictions(RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING, expiry)),
                restrictions(RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING, expiry));
        harness.windows.pipeInput(BY_USER_ID, closedWindow());

        harness.requests.pipeInput("k", template("r-1", "order"));

        DispatchResult refused = harness.results.readValue();
        assertThat(refused.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(refused.getReason()).isEqualTo(DispatchReason.ACCOUNT_RESTRICTED);
        assertThat(refused.getRestriction()).isEqualTo(RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING);
        assertThat(refused.getRetryAfter()).isEqualTo(expiry);
        assertThat(refused.getCategory()).isEqualTo(MessageCategory.UTILITY);

        harness.windows.pipeInput(
                BY_USER_ID, openWindow(NOW.minus(Duration.ofHours(1))).build());
        harness.requests.pipeInput(
                "k",
                text("r-2", "hello")
                        .setFallbackTemplate(templatePayload("order").build())
                        .build());
        SendCommand reply = harness.commands.readValue();
        assertThat(reply.getRequestId()).isEqualTo("r-2");
        assertThat(reply.getFallback())
                .as("the fallback would be business-initiated: dropped")
                .isNull();
        assertThat(harness.meters
                        .get("janela.dispatch.decisions")
                        .tags("outcome", "rejected", "reason", "account_restricted")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void refusesRepliesUnderACustomerInitiatedRestrictionAndSendsOnceItExpiredOrWasLifted() {
        harness.windows.pipeInput(
                BY_USER_ID, openWindow(NOW.minus(Duration.ofHours(1))).build());
        AccountEvent restricted =
                restrictions(RestrictionType.RESTRICTED_CUSTOMER_INITIATED_MESSAGING, NOW.plusSeconds(3600));
        harness.accountEvents.pipeInput(key(restricted), restricted);
        harness.requests.pipeInput("k", text("r-1", "hello").build());
        assertThat(harness.results.readValue().getReason()).isEqualTo(DispatchReason.ACCOUNT_RESTRICTED);

        AccountEvent expired = restrictions(RestrictionType.RESTRICTED_CUSTOMER_INITIATED_MESSAGING, NOW);
        harness.accountEvents.pipeInput(key(expired), expired);
        harness.requests.pipeInput("k", text("r-2", "hello").build());
        assertThat(harness.commands.readValue().getRequestId()).isEqualTo("r-2");

        AccountEvent lifted =
                AccountEvent.newBuilder(restricted).setRestrictions(List.of()).build();
        harness.accountEvents.pipeInput(key(lifted), lifted);
        harness.requests.pipeInput("k", text("r-3", "hello").build());
        assertThat(harness.commands.readValue().getRequestId()).isEqualTo("r-3");
    }

    @Test
    void theRefusalsAlertsWatchAreCountedFromZero() {
        for (String reason :
                List.of("account_restricted", "messaging_limit", "marketing_user_limit", "marketing_opted_out")) {
            assertThat(harness.meters
                            .get("janela.dispatch.decisions")
                            .tags("outcome", "rejected", "reason", reason)
                            .counter()
                            .count())
                    .isZero();
        }
    }

    private static ContactWindow closedWindow() {
        return Fixtures.closedWindow(NOW.minus(Duration.ofDays(3))).build();
    }

    /** A free-form reply whose checked fallback is the template {@code fallback}. */
    private static OutboundRequest reply(String requestId, String fallback) {
        return text(requestId, "hello")
                .setFallbackTemplate(templatePayload(fallback).build())
                .build();
    }

    private static OutboundRequest marketing(String requestId) {
        return template(requestId, "promo");
    }

    private static OutboundRequest template(String requestId, String name) {
        return text(requestId, "x").setPayload(templatePayload(name).build()).build();
    }

    private static UserPreference preference(String contactId, PreferenceValue value, Instant at) {
        return UserPreference.newBuilder()
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(contactId)
                .setWaId(contactId.equals(WA_ID) ? WA_ID : null)
                .setUserId(contactId.equals(USER_ID) ? USER_ID : null)
                .setCategory(PreferenceCategory.MARKETING_MESSAGES)
                .setValue(value)
                .setTimestamp(at)
                .setRawJson("{}")
                .build();
    }

    private static DispatchResult heldResult(String contactId, Instant until) {
        return DispatchResult.newBuilder()
                .setRequestId("earlier-" + until.toEpochMilli())
                .setKind(ResultKind.OUTCOME)
                .setOutcome(DispatchOutcome.FAILED)
                .setReason(DispatchReason.MARKETING_USER_LIMIT)
                .setMetaErrorCode(131049)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(contactId)
                .setRetryAfter(until)
                .setRequestCreatedAt(NOW.minusSeconds(600))
                .setDecidedAt(NOW.minusSeconds(600))
                .build();
    }

    private static AccountEvent restrictions(RestrictionType type, Instant expiry) {
        return Fixtures.restriction(type, expiry, NOW.minusSeconds(30));
    }

    private static String key(AccountEvent event) {
        return AccountEventKey.of(event);
    }
}
