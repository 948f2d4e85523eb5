package io.janela.window.tracking;

import static io.janela.testfixtures.MetaRecords.PHONE_NUMBER_ID;
import static io.janela.window.tracking.WindowTopologyTest.ANA;
import static io.janela.window.tracking.WindowTopologyTest.DAY;
import static io.janela.window.tracking.WindowTopologyTest.START;
import static io.janela.window.tracking.WindowTopologyTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.ContactWindow;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.avro.WindowOpener;
import io.janela.avro.WindowStatus;
import io.janela.testfixtures.MetaRecords;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every act Meta counts (DESIGN.md §4, WHATSAPP.md §11.1–11.2): a user's call and a business call the user accepted
 * open or refresh the window at the call's time, once per call id; a reply sent from the WhatsApp Business app (an
 * echo) marks the window replied and moves no expiry. Records in Meta's shapes ({@code src/test/resources/meta}).
 */
class CallsAndEchoesTopologyTest {

    static final String PHONE = "16505551234";
    static final String CALL = "wacid.HBgLMTY1MDU1NTEyMzQVAgARGCA0RkM2QjRFQzk5NUI0MjE3OUQ1RkE3RjlFMjgxQjRGMQA=";

    final TrackingDriver t = TrackingDriver.start(TrackingDriver.SETTINGS, START);

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void aUserCallOpensTheWindowAtTheCallsTimeAndItClosesADayLater() {
        Instant calledAt = START.minus(Duration.ofHours(1));

        t.callArrives(MetaRecords.call("call-user-connect.json", CALL, calledAt, ANA, PHONE));

        WindowEvent opened = t.events.readValue();
        assertThat(opened.getType()).isEqualTo(WindowEventType.OPENED);
        assertThat(opened.getOpenedBy()).isEqualTo(WindowOpener.CALL);
        assertThat(opened.getOccurredAt()).isEqualTo(calledAt);
        assertThat(opened.getWindowExpiresAt()).isEqualTo(calledAt.plus(DAY));
        assertThat(opened.getOpeningMessageId()).isEqualTo(CALL);
        assertThat(opened.getFirstContact()).isTrue();
        assertThat(opened.getLastInboundAt()).as("no customer message yet").isNull();
        ContactWindow state = t.states.readValue();
        assertThat(state.getStatus()).isEqualTo(WindowStatus.OPEN);
        assertThat(state.getOpenedBy()).isEqualTo(WindowOpener.CALL);
        assertThat(state.getLastCallAt()).isEqualTo(calledAt);
        assertThat(state.getExpiresAt()).isEqualTo(calledAt.plus(DAY));
        assertThat(state.getWaitingSince())
                .as("a call is no message waiting for an answer")
                .isNull();
        assertThat(state.getInboundMessages()).isZero();
        assertThat(t.aliases.readValue().getContactId()).isEqualTo(ANA);
        assertThat(t.openWindowsGauge()).isEqualTo(1);
        assertThat(t.counter(WindowMetrics.APPLIED, "source", "call")).isEqualTo(1);

        t.advance(DAY.minus(Duration.ofHours(2)));
        t.advance(Duration.ofHours(1));

        assertThat(t.events.readValuesToList())
                .extracting(WindowEvent::getType)
                .containsExactly(WindowEventType.CLOSING_SOON, WindowEventType.CLOSED);
        ContactWindow closed = t.states.readValuesToList().getLast();
        assertThat(closed.getStatus()).isEqualTo(WindowStatus.CLOSED);
        assertThat(closed.getClosedAt()).isEqualTo(calledAt.plus(DAY));
        assertThat(closed.getWaitingSince()).isNull();
        t.assertNothingElseEmitted();
    }

    @Test
    void aCallRefreshesAWindowAMessageOpened() {
        Instant wroteAt = START.minus(Duration.ofHours(10));
        t.customerWrites(MetaRecords.text("wamid.1", wroteAt, ANA));
        t.events.readValue();
        t.states.readValue();
        Instant calledAt = START.minus(Duration.ofHours(1));

        t.callArrives(MetaRecords.call("call-user-connect.json", CALL, calledAt, ANA, null));

        ContactWindow refreshed = t.states.readValue();
        assertThat(refreshed.getOpenedAt()).isEqualTo(wroteAt);
        assertThat(refreshed.getOpenedBy()).isEqualTo(WindowOpener.MESSAGE);
        assertThat(refreshed.getExpiresAt()).isEqualTo(calledAt.plus(DAY));
        assertThat(refreshed.getLastCallAt()).isEqualTo(calledAt);
        assertThat(refreshed.getLastInboundAt()).isEqualTo(wroteAt);
        assertThat(refreshed.getWaitingSince()).as("still the message").isEqualTo(wroteAt);
        assertThat(refreshed.getInboundMessages()).isEqualTo(1);
        t.assertNothingElseEmitted();
    }

    @Test
    void theSameCallCountsOnceAndItsTerminateRefreshesNothing() {
        Instant calledAt = START.minus(Duration.ofHours(2));
        t.callArrives(MetaRecords.call("call-user-connect.json", CALL, calledAt, ANA, null));
        t.events.readValue();
        t.states.readValue();

        t.callArrives(MetaRecords.call("call-user-connect.json", CALL, calledAt, ANA, null));
        t.callArrives(MetaRecords.call("call-user-terminate.json", CALL, calledAt.plusSeconds(90), ANA, null));

        assertThat(t.counter(WindowMetrics.IGNORED, "source", "call", "reason", "duplicate"))
                .isEqualTo(1);
        assertThat(t.counter(WindowMetrics.APPLIED, "source", "call")).isEqualTo(1);
        var stored = (io.janela.window.tracking.avro.StoredContact)
                t.store(StoreNames.CONTACTS).get(key(ANA));
        assertThat(stored.getWindow().getExpiresAt())
                .isEqualTo(calledAt.plus(DAY).toEpochMilli());
        assertThat(stored.getLastCallAt()).isEqualTo(calledAt.toEpochMilli());
        t.assertNothingElseEmitted();
    }

    @Test
    void aBusinessCallOpensTheWindowOnlyWhenTheUserAccepts() {
        Instant ringingAt = START.minus(Duration.ofHours(3));
        t.callArrives(MetaRecords.call("call-business-ringing.json", "wacid.biz-1", ringingAt, ANA, PHONE));
        t.callArrives(
                MetaRecords.call("call-business-rejected.json", "wacid.biz-1", ringingAt.plusSeconds(9), ANA, PHONE));
        assertThat(t.store(StoreNames.CONTACTS).get(key(ANA)))
                .as("ringing and rejected open nothing")
                .isNull();
        t.assertNothingElseEmitted();

        Instant acceptedAt = START.minus(Duration.ofHours(1));
        t.callArrives(MetaRecords.call("call-business-accepted.json", "wacid.biz-2", acceptedAt, ANA, PHONE));

        WindowEvent opened = t.events.readValue();
        assertThat(opened.getOpenedBy()).isEqualTo(WindowOpener.CALL);
        assertThat(opened.getWindowOpenedAt()).isEqualTo(acceptedAt);
        assertThat(opened.getWindowExpiresAt()).isEqualTo(acceptedAt.plus(DAY));
        assertThat(t.states.readValue().getLastCallAt()).isEqualTo(acceptedAt);
        t.aliases.readValue();
        t.assertNothingElseEmitted();
    }

    @Test
    void aCallWhoseWindowWouldBeOverOpensNothing() {
        t.callArrives(MetaRecords.call("call-user-connect.json", CALL, START.minus(DAY), ANA, null));

        assertThat(t.store(StoreNames.CONTACTS).get(key(ANA))).isNull();
        assertThat(t.counter(WindowMetrics.IGNORED, "source", "call", "reason", "late"))
                .isEqualTo(1);
        assertThat(t.events.readValue().getType()).isEqualTo(WindowEventType.LATE);
        t.assertNothingElseEmitted();
    }

    @Test
    void aCallAfterMetasRefusalReopensAndTheRefusalDoesNotUndoIt() {
        t.customerWrites(MetaRecords.text("wamid.1", START.minus(Duration.ofHours(5)), ANA));
        Instant refusedAt = START.minus(Duration.ofHours(3));
        t.statusArrives(MetaRecords.status("status-failed-131047.json", "wamid.out", refusedAt, ANA, null));
        assertThat(t.events.readValuesToList())
                .extracting(WindowEvent::getType)
                .containsExactly(WindowEventType.OPENED, WindowEventType.CLOSED);
        t.states.readValuesToList();
        Instant calledAt = START.minus(Duration.ofHours(2));

        t.callArrives(MetaRecords.call("call-user-connect.json", CALL, calledAt, ANA, null));
        // The same refusal again (a retried webhook): older than the call, it closes nothing.
        t.statusArrives(MetaRecords.status("status-failed-131047.json", "wamid.out", refusedAt, ANA, null));

        WindowEvent reopened = t.events.readValue();
        assertThat(reopened.getType()).isEqualTo(WindowEventType.OPENED);
        assertThat(reopened.getOpenedBy()).isEqualTo(WindowOpener.CALL);
        assertThat(reopened.getPreviousWindowClosedAt()).isEqualTo(refusedAt);
        assertThat(reopened.getFirstContact()).isFalse();
        assertThat(t.states.readValue().getStatus()).isEqualTo(WindowStatus.OPEN);
        t.assertNothingElseEmitted();
    }

    @Test
    void aCallNamingOnlyAPhoneNumberReachesTheContactItsAliasNames() {
        t.customerWrites(
                MetaRecords.inbound("text-message.json", "wamid.1", START.minus(Duration.ofHours(10)), ANA, PHONE));
        t.events.readValue();
        t.states.readValue();
        t.aliases.readValue();
        Instant calledAt = START.minus(Duration.ofHours(1));

        t.callArrives(MetaRecords.call("call-user-connect.json", CALL, calledAt, null, PHONE));

        var refreshed = t.states.readKeyValue();
        assertThat(refreshed.key).isEqualTo(key(ANA));
        assertThat(refreshed.value.getExpiresAt()).isEqualTo(calledAt.plus(DAY));
        assertThat(t.store(StoreNames.CONTACTS).get(PHONE_NUMBER_ID + ":" + PHONE))
                .isNull();
        t.assertNothingElseEmitted();
    }

    @Test
    void anEchoMarksTheWindowRepliedAndMovesNoExpiry() {
        Instant wroteAt = START.minus(Duration.ofHours(2));
        t.customerWrites(MetaRecords.text("wamid.1", wroteAt, ANA));
        t.events.readValue();
        assertThat(t.states.readValue().getWaitingSince()).isEqualTo(wroteAt);
        Instant repliedAt = START.minus(Duration.ofHours(1));

        t.echoArrives(MetaRecords.echo("echo-text.json", "wamid.app-1", repliedAt, ANA, PHONE));

        ContactWindow replied = t.states.readValue();
        assertThat(replied.getFirstReplyAt()).isEqualTo(repliedAt);
        assertThat(replied.getLastReplyAt()).isEqualTo(repliedAt);
        assertThat(replied.getWaitingSince()).as("answered").isNull();
        assertThat(replied.getExpiresAt()).as("an app message extends nothing").isEqualTo(wroteAt.plus(DAY));
        assertThat(t.counter(WindowMetrics.APPLIED, "source", "echo")).isEqualTo(1);

        t.echoArrives(MetaRecords.echo("echo-text.json", "wamid.app-1", repliedAt, ANA, PHONE));
        t.advance(DAY);

        WindowEvent closed = t.events.readValuesToList().getLast();
        assertThat(closed.getType()).isEqualTo(WindowEventType.CLOSED);
        assertThat(closed.getOccurredAt()).isEqualTo(wroteAt.plus(DAY));
        assertThat(closed.getBusinessReplied()).isTrue();
        assertThat(closed.getWaitingSince()).isNull();
        assertThat(t.counter(WindowMetrics.IGNORED, "source", "echo", "reason", "duplicate"))
                .isEqualTo(1);
        t.states.readValuesToList();
        t.assertNothingElseEmitted();
    }

    @Test
    void anEchoOpensNoWindowAndNoFreeEntryPoint() {
        t.echoArrives(MetaRecords.echo("echo-text.json", "wamid.app-0", START.minus(Duration.ofHours(3)), ANA, PHONE));
        assertThat(t.store(StoreNames.CONTACTS).get(key(ANA)))
                .as("business activity alone")
                .isNull();
        assertThat(t.counter(WindowMetrics.IGNORED, "source", "echo", "reason", "unknown_contact"))
                .isEqualTo(1);

        Instant adAt = START.minus(Duration.ofHours(2));
        t.customerWrites(MetaRecords.inbound("referral-message.json", "wamid.ad", adAt, ANA, null));
        t.events.readValue();
        assertThat(t.states.readValue().getFepEligibleUntil()).isEqualTo(adAt.plus(DAY));

        t.echoArrives(MetaRecords.echo("echo-text.json", "wamid.app-1", START.minus(Duration.ofHours(1)), ANA, null));

        ContactWindow replied = t.states.readValue();
        assertThat(replied.getFirstReplyAt()).isEqualTo(START.minus(Duration.ofHours(1)));
        assertThat(replied.getFepExpiresAt())
                .as("an app message does not affect Cloud API pricing: no free entry point window")
                .isNull();
        t.assertNothingElseEmitted();
    }

    @Test
    void aReactionFromTheAppIsNoReply() {
        t.customerWrites(MetaRecords.text("wamid.1", START.minus(Duration.ofHours(2)), ANA));
        t.events.readValue();
        t.states.readValue();

        t.echoArrives(
                MetaRecords.echo("echo-reaction.json", "wamid.app-r", START.minus(Duration.ofHours(1)), ANA, PHONE));

        assertThat(t.counter(WindowMetrics.APPLIED, "source", "echo")).isZero();
        t.assertNothingElseEmitted();
    }

    @Test
    void anEchoNamingOnlyAPhoneNumberRepliesInTheWindowOfTheContactItsAliasNames() {
        t.customerWrites(
                MetaRecords.inbound("text-message.json", "wamid.1", START.minus(Duration.ofHours(2)), ANA, PHONE));
        t.events.readValue();
        t.states.readValue();
        t.aliases.readValue();

        t.echoArrives(MetaRecords.echo("echo-text.json", "wamid.app-1", START.minus(Duration.ofHours(1)), null, PHONE));

        var replied = t.states.readKeyValue();
        assertThat(replied.key).isEqualTo(key(ANA));
        assertThat(replied.value.getFirstReplyAt()).isEqualTo(START.minus(Duration.ofHours(1)));
        t.assertNothingElseEmitted();
    }
}
