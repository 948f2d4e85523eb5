package io.janela.window.tracking;

import static io.janela.testfixtures.MetaRecords.PHONE_NUMBER_ID;
import static io.janela.window.tracking.WindowTopologyTest.ANA;
import static io.janela.window.tracking.WindowTopologyTest.DAY;
import static io.janela.window.tracking.WindowTopologyTest.START;
import static io.janela.window.tracking.WindowTopologyTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.CloseReason;
import io.janela.avro.ContactAlias;
import io.janela.avro.ContactWindow;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.ResultKind;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.avro.WindowStatus;
import io.janela.testfixtures.MetaRecords;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the business side (dispatch results, status webhooks) does to windows, and the alias that links them. */
class BusinessActivityTopologyTest {

    static final String PHONE = "16505551234";

    final TrackingDriver t = TrackingDriver.start(TrackingDriver.SETTINGS, START);

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void aContactsPhoneNumberIsPublishedAsAnAliasOnce() {
        t.customerWrites(MetaRecords.inbound("text-message.json", "wamid.1", START.minusSeconds(60), ANA, PHONE));
        t.customerWrites(MetaRecords.inbound("text-message.json", "wamid.2", START.minusSeconds(30), ANA, PHONE));
        t.events.readValuesToList();
        t.states.readValuesToList();

        assertThat(t.aliases.readKeyValuesToList()).singleElement().satisfies(alias -> {
            assertThat(alias.key).isEqualTo(PHONE_NUMBER_ID + ":" + PHONE);
            assertThat(alias.value).isEqualTo(new ContactAlias(PHONE_NUMBER_ID, PHONE, ANA, START.minusSeconds(60)));
        });
        assertThat(t.store(StoreNames.ALIASES).get(PHONE_NUMBER_ID + ":" + PHONE))
                .as("the global alias store reads the topic back")
                .isNotNull();
        t.assertNothingElseEmitted();
    }

    @Test
    void aFailed131047ToAPhoneNumberClosesTheWindowOfTheContactItsAliasNames() {
        Instant wroteAt = START.minus(Duration.ofHours(3));
        t.customerWrites(MetaRecords.inbound("text-message.json", "wamid.1", wroteAt, ANA, PHONE));
        t.events.readValue();
        t.states.readValue();
        t.aliases.readValue();
        Instant refusedAt = START.minus(Duration.ofHours(1));

        t.statusArrives(MetaRecords.status("status-failed-131047.json", "wamid.out", refusedAt, null, PHONE));

        WindowEvent closed = t.events.readValue();
        assertThat(closed.getType()).isEqualTo(WindowEventType.CLOSED);
        assertThat(closed.getContactId()).isEqualTo(ANA);
        assertThat(closed.getCloseReason()).isEqualTo(CloseReason.CLOSED_BY_META);
        assertThat(closed.getOccurredAt()).isEqualTo(refusedAt);
        assertThat(closed.getWindowExpiresAt()).isEqualTo(refusedAt);
        ContactWindow state = t.states.readValue();
        assertThat(state.getStatus()).isEqualTo(WindowStatus.CLOSED);
        assertThat(state.getCloseReason()).isEqualTo(CloseReason.CLOSED_BY_META);
        assertThat(t.openWindowsGauge()).isZero();

        Instant back = START.minusSeconds(10);
        t.customerWrites(MetaRecords.inbound("text-message.json", "wamid.2", back, ANA, PHONE));
        WindowEvent reopened = t.events.readValue();
        assertThat(reopened.getType()).isEqualTo(WindowEventType.OPENED);
        assertThat(reopened.getPreviousWindowClosedAt()).isEqualTo(refusedAt);
        assertThat(t.states.readValue().getStatus()).isEqualTo(WindowStatus.OPEN);
        t.assertNothingElseEmitted();
    }

    @Test
    void theDeadlineOfAWindowMetaClosedGoesWhenDueWithoutAnEvent() {
        Instant wroteAt = START.minus(Duration.ofHours(3));
        t.customerWrites(MetaRecords.text("wamid.1", wroteAt, ANA));
        t.statusArrives(
                MetaRecords.status("status-failed-131047.json", "wamid.out", START.minusSeconds(60), ANA, null));
        assertThat(t.events.readValuesToList())
                .extracting(WindowEvent::getType)
                .containsExactly(WindowEventType.OPENED, WindowEventType.CLOSED);
        t.states.readValuesToList();
        assertThat(t.deadlineCount()).as("left in place, as for a refresh").isEqualTo(1);

        t.advance(DAY);

        assertThat(t.deadlineCount()).isZero();
        assertThat(t.counter(WindowMetrics.IGNORED, "source", "deadline", "reason", "stale"))
                .isEqualTo(1);
        t.assertNothingElseEmitted();
    }

    @Test
    void aFailed131047ForAPhoneNumberWithoutAnAliasClosesTheWindowKeyedByThatNumber() {
        t.customerWrites(MetaRecords.inbound("text-message.json", "wamid.1", START.minusSeconds(600), null, PHONE));
        t.events.readValue();
        t.states.readValue();

        t.statusArrives(
                MetaRecords.status("status-failed-131047.json", "wamid.out", START.minusSeconds(60), null, PHONE));

        WindowEvent closed = t.events.readValue();
        assertThat(closed.getContactId()).isEqualTo(PHONE);
        assertThat(closed.getCloseReason()).isEqualTo(CloseReason.CLOSED_BY_META);
        assertThat(t.states.readValue().getStatus()).isEqualTo(WindowStatus.CLOSED);
        t.assertNothingElseEmitted();
    }

    @Test
    void aReplyReportedByDispatchAndByTheSentWebhookCountsOnce() {
        Instant wroteAt = START.minus(Duration.ofHours(2));
        t.customerWrites(MetaRecords.text("wamid.1", wroteAt, ANA));
        t.events.readValue();
        t.states.readValue();
        Instant acceptedAt = START.minus(Duration.ofHours(1)).minusMillis(400);

        t.dispatchReports(MetaRecords.sent("request-1", "wamid.out", acceptedAt, ANA));
        ContactWindow replied = t.states.readValue();
        t.statusArrives(
                MetaRecords.status("status-sent.json", "wamid.out", START.minus(Duration.ofHours(1)), ANA, PHONE));
        ContactAlias alias = t.aliases.readValue();
        t.advance(DAY);

        assertThat(replied.getFirstReplyAt()).isEqualTo(acceptedAt);
        assertThat(replied.getLastReplyAt()).isEqualTo(acceptedAt);
        assertThat(replied.getWaitingSince()).isNull();
        assertThat(alias.getWaId()).isEqualTo(PHONE);
        // The sent webhook adds the phone number (state) but not a second reply.
        ContactWindow withNumber = t.states.readValue();
        assertThat(withNumber.getWaId()).isEqualTo(PHONE);
        assertThat(withNumber.getLastReplyAt()).isEqualTo(acceptedAt);
        WindowEvent closed = t.events.readValue();
        assertThat(closed.getType()).isEqualTo(WindowEventType.CLOSED);
        assertThat(closed.getBusinessReplied()).isTrue();
        assertThat(closed.getFirstReplyAt()).isEqualTo(acceptedAt);
        assertThat(closed.getWaitingSince()).isNull();
        assertThat(t.states.readValue().getStatus()).isEqualTo(WindowStatus.CLOSED);
        t.assertNothingElseEmitted();
    }

    @Test
    void aFreeEntryPointIsPredictedFromTheReplyAndReplacedByMetasConfirmation() {
        Instant adAt = START.minus(Duration.ofHours(2));
        t.customerWrites(MetaRecords.inbound("referral-message.json", "wamid.ad", adAt, ANA, null));
        WindowEvent opened = t.events.readValue();
        ContactWindow eligible = t.states.readValue();
        Instant replyAt = START.minus(Duration.ofHours(1));

        t.dispatchReports(MetaRecords.sent("request-1", "wamid.out", replyAt, ANA));
        ContactWindow predicted = t.states.readValue();
        Instant sentAt = replyAt.plusSeconds(1);
        t.statusArrives(MetaRecords.status("status-sent-free-entry-point.json", "wamid.out", sentAt, ANA, PHONE));
        t.aliases.readValue();
        ContactWindow confirmed = t.states.readValue();

        assertThat(opened.getViaReferral()).isTrue();
        assertThat(eligible.getFepEligibleUntil()).isEqualTo(adAt.plus(DAY));
        assertThat(eligible.getFepExpiresAt()).isNull();
        assertThat(predicted.getFepExpiresAt()).isEqualTo(replyAt.plus(Duration.ofHours(72)));
        assertThat(predicted.getFepConfirmed()).isFalse();
        assertThat(confirmed.getFepExpiresAt()).isEqualTo(sentAt.plus(Duration.ofHours(72)));
        assertThat(confirmed.getFepConfirmed()).isTrue();
        t.assertNothingElseEmitted();
    }

    @Test
    void businessActivityForAnUnknownContactCreatesNothing() {
        t.dispatchReports(MetaRecords.sent("request-1", "wamid.out", START.minusSeconds(5), ANA));
        t.statusArrives(MetaRecords.status("status-sent.json", "wamid.out", START.minusSeconds(4), ANA, PHONE));

        assertThat(t.store(StoreNames.CONTACTS).get(key(ANA))).isNull();
        assertThat(t.counter(WindowMetrics.IGNORED, "source", "dispatch", "reason", "unknown_contact"))
                .isEqualTo(1);
        assertThat(t.counter(WindowMetrics.IGNORED, "source", "status", "reason", "unknown_contact"))
                .isEqualTo(1);
        t.assertNothingElseEmitted();
    }

    @Test
    void deliveredAndReadStatusesAreNotEvenLookedAt() {
        t.customerWrites(MetaRecords.text("wamid.1", START.minusSeconds(60), ANA));
        t.events.readValue();
        t.states.readValue();
        var delivered = MetaRecords.status("status-sent.json", "wamid.out", START.minusSeconds(5), ANA, PHONE);
        delivered.setStatus(io.janela.avro.DeliveryStatus.DELIVERED);

        t.statusArrives(delivered);

        assertThat(t.counter(WindowMetrics.IGNORED, "source", "status")).isZero();
        t.assertNothingElseEmitted();
    }

    /**
     * What dispatch publishes for a failed status webhook (Results.deliveryFailed): decidedAt is dispatch's wall
     * clock when it correlated the status; statusAt is Meta's time of the failure.
     */
    static DispatchResult deliveryFailed131047(String wamid, Instant statusAt, Instant correlatedAt) {
        return DispatchResult.newBuilder()
                .setRequestId("request-1")
                .setKind(ResultKind.DELIVERY_FAILED)
                .setOutcome(DispatchOutcome.FAILED)
                .setReason(DispatchReason.META_ERROR)
                .setMetaErrorCode(131047)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(ANA)
                .setWamid(wamid)
                .setRequestCreatedAt(statusAt.minusSeconds(5))
                .setDecidedAt(correlatedAt)
                .setStatusAt(statusAt)
                .build();
    }

    /** The SENT result of a fallback template that replaced a free-form message Meta refused in its answer. */
    static DispatchResult fallbackAfterRefusal(Instant refusedAt, Instant fallbackSentAt) {
        DispatchResult fallback = MetaRecords.sent("request-1", "wamid.fallback", fallbackSentAt, ANA);
        // Decided well before the refusal: the request waited for its turn under the number's rate limit.
        fallback.setDecidedAt(refusedAt.minus(Duration.ofMinutes(3)));
        fallback.setFallbackUsed(true);
        fallback.setPrimaryRefusedWith(131047);
        fallback.setPrimaryRefusedAt(refusedAt);
        return fallback;
    }

    /** The customer wrote 20 h ago: to Janela the window is open for 4 h more. */
    static final Instant WROTE_AT = START.minus(Duration.ofHours(20));

    /** When Meta refused a free-form message in its answer: its clock says the window had closed (WHATSAPP.md §1.1). */
    static final Instant REFUSED_AT = START.minus(Duration.ofHours(1));

    private void customerWroteTwentyHoursAgo() {
        t.customerWrites(MetaRecords.text("wamid.1", WROTE_AT, ANA));
        t.events.readValue();
        t.states.readValue();
    }

    @Test
    void aFallbackSentBecauseMetaRefusedTheFreeFormMessageInItsAnswerClosesTheWindowAtTheRefusal() {
        // No failed webhook follows a refusal in the answer; dispatch sent the fallback template.
        customerWroteTwentyHoursAgo();
        Instant refusedAt = REFUSED_AT;

        t.dispatchReports(fallbackAfterRefusal(refusedAt, refusedAt.plusMillis(300)));

        WindowEvent closed = t.events.readValue();
        assertThat(closed.getType()).isEqualTo(WindowEventType.CLOSED);
        assertThat(closed.getCloseReason()).isEqualTo(CloseReason.CLOSED_BY_META);
        assertThat(closed.getOccurredAt()).isEqualTo(refusedAt);
        assertThat(closed.getBusinessReplied())
                .as("the template went after Meta's close")
                .isFalse();
        assertThat(t.states.readValuesToList())
                .last()
                .satisfies(state -> assertThat(state.getStatus()).isEqualTo(WindowStatus.CLOSED));
        assertThat(t.openWindowsGauge()).isZero();
        t.assertNothingElseEmitted();
    }

    @Test
    void aFallbackWhoseSentWebhookCameFirstIsNoReplyInTheWindowMetaClosedBeforeIt() {
        customerWroteTwentyHoursAgo();
        Instant refusedAt = REFUSED_AT;
        Instant fallbackSentAt = refusedAt.plusMillis(300);
        // The template's sent webhook is processed first: the window, still open here, takes it for a reply.
        t.statusArrives(MetaRecords.status("status-sent.json", "wamid.fallback", fallbackSentAt, ANA, PHONE));
        assertThat(t.states.readValuesToList())
                .last()
                .satisfies(state -> assertThat(state.getFirstReplyAt()).isEqualTo(fallbackSentAt));
        t.aliases.readValuesToList();

        t.dispatchReports(fallbackAfterRefusal(refusedAt, fallbackSentAt));

        WindowEvent closed = t.events.readValue();
        assertThat(closed.getType()).isEqualTo(WindowEventType.CLOSED);
        assertThat(closed.getOccurredAt()).isEqualTo(refusedAt);
        assertThat(closed.getBusinessReplied())
                .as("the same answer as when the dispatch result comes first")
                .isFalse();
        assertThat(closed.getWaitingSince()).isEqualTo(WROTE_AT);
        t.states.readValuesToList();
        t.assertNothingElseEmitted();
    }

    @Test
    void a131047RelayedByDispatchClosesAtMetasTimeSoAWindowReopenedSinceStaysOpen() {
        t.customerWrites(MetaRecords.text("wamid.1", START.minus(Duration.ofHours(5)), ANA));
        Instant refusedAt = START.minus(Duration.ofHours(3));
        t.statusArrives(MetaRecords.status("status-failed-131047.json", "wamid.out", refusedAt, ANA, null));
        Instant back = START.minus(Duration.ofHours(2));
        t.customerWrites(MetaRecords.text("wamid.2", back, ANA));
        assertThat(t.events.readValuesToList())
                .extracting(WindowEvent::getType)
                .containsExactly(WindowEventType.OPENED, WindowEventType.CLOSED, WindowEventType.OPENED);
        t.states.readValuesToList();

        // Dispatch correlates the same failed webhook later (its own lag) and relays it as DELIVERY_FAILED.
        t.dispatchReports(deliveryFailed131047("wamid.out", refusedAt, START));

        // Meta refused at refusedAt, before the customer wrote again at `back`: the window reopened at `back` stays
        // open, exactly as when the failed status webhook itself is processed again.
        assertThat(t.events.readValuesToList()).as("window events").isEmpty();
        assertThat(t.states.readValuesToList()).as("window states").isEmpty();
        // The reopened window expires 22 h from now; its warning comes an hour before.
        t.advance(Duration.ofHours(21));
        WindowEvent soon = t.events.readValue();
        assertThat(soon.getType()).isEqualTo(WindowEventType.CLOSING_SOON);
        assertThat(soon.getWindowExpiresAt()).isEqualTo(back.plus(DAY));
        t.states.readValuesToList();
        t.assertNothingElseEmitted();
    }

    @Test
    void aCustomerMessageWrittenAfterMetasRefusalIsNotLateWhenDispatchRelayedTheRefusal() {
        t.customerWrites(MetaRecords.text("wamid.1", START.minus(Duration.ofHours(5)), ANA));
        Instant refusedAt = START.minus(Duration.ofHours(3));
        t.statusArrives(MetaRecords.status("status-failed-131047.json", "wamid.out", refusedAt, ANA, null));
        t.dispatchReports(deliveryFailed131047("wamid.out", refusedAt, START.minusSeconds(60)));
        assertThat(t.events.readValuesToList())
                .extracting(WindowEvent::getType)
                .containsExactly(WindowEventType.OPENED, WindowEventType.CLOSED);
        t.states.readValuesToList();

        // The customer wrote an hour after Meta's refusal; the webhook comes late (Meta retries).
        Instant back = START.minus(Duration.ofHours(2));
        t.customerWrites(MetaRecords.text("wamid.2", back, ANA));

        assertThat(t.counter(WindowMetrics.IGNORED, "source", "inbound", "reason", "late"))
                .as("a message after Meta's refusal is not late")
                .isZero();
        WindowEvent reopened = t.events.readValue();
        assertThat(reopened.getType()).isEqualTo(WindowEventType.OPENED);
        assertThat(reopened.getPreviousWindowClosedAt()).isEqualTo(refusedAt);
        assertThat(t.states.readValue().getStatus()).isEqualTo(WindowStatus.OPEN);
        t.assertNothingElseEmitted();
    }

    @Test
    void aNumberChangeDoesNotAliasTheNewNumberToTheOldContact() {
        // Contacts without a business-scoped user id are keyed by wa_id (DESIGN.md §2).
        String oldNumber = "16505551234";
        String newNumber = "16505550000"; // the system fixture's new wa_id
        t.customerWrites(
                MetaRecords.inbound("text-message.json", "wamid.1", START.minus(Duration.ofHours(5)), null, oldNumber));
        t.customerWrites(MetaRecords.inbound(
                "system-user-changed-number.json", "wamid.sys", START.minus(Duration.ofHours(4)), null, oldNumber));
        t.customerWrites(
                MetaRecords.inbound("text-message.json", "wamid.2", START.minus(Duration.ofHours(3)), null, newNumber));
        assertThat(t.events.readKeyValuesToList())
                .extracting(event -> event.key)
                .containsExactly(PHONE_NUMBER_ID + ":" + oldNumber, PHONE_NUMBER_ID + ":" + newNumber);
        t.states.readValuesToList();
        assertThat(t.aliases.readValuesToList())
                .as("contacts keyed by their number need no alias; the new number is not the old contact's")
                .isEmpty();

        // The business sends free-form to the new number; Meta refuses it (no user id on a failed status).
        Instant refusedAt = START.minus(Duration.ofHours(1));
        t.statusArrives(MetaRecords.status("status-failed-131047.json", "wamid.out", refusedAt, null, newNumber));

        WindowEvent closed = t.events.readValue();
        assertThat(closed.getType()).isEqualTo(WindowEventType.CLOSED);
        assertThat(closed.getContactId())
                .as("the window Meta refused is the new number's")
                .isEqualTo(newNumber);
        t.states.readValuesToList();
        t.assertNothingElseEmitted();
    }
}
