package io.janela.window.tracking;

import static io.janela.testfixtures.MetaRecords.PHONE_NUMBER_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.avro.WindowOpener;
import io.janela.testfixtures.MetaRecords;
import io.janela.window.tracking.avro.StoredContact;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Customer acts that arrive after the window they would have opened was over (an outage longer than a window, a
 * webhook Meta retried for days): they open nothing, so a window whose time is over stays closed for sending, and
 * they are told as LATE window events, so that the conversations they began still count where they are measured.
 */
class LateActTopologyTest {

    static final Instant START = Instant.parse("2026-11-20T10:00:00Z");
    static final Duration DAY = Duration.ofHours(24);
    static final String ANA = "US.13491208655302741918";

    TrackingDriver t;

    @BeforeEach
    void start() {
        t = TrackingDriver.start(TrackingDriver.SETTINGS, START);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    static String key(String contactId) {
        return PHONE_NUMBER_ID + ":" + contactId;
    }

    @Test
    void aFirstMessageDelayedByAnOutageLongerThanAWindowIsToldAsLateAndOpensNothing() {
        Instant wroteAt = START.minus(Duration.ofHours(30));

        t.customerWrites(MetaRecords.text("wamid.outage", wroteAt, ANA));

        TestRecord<String, WindowEvent> record = t.events.readRecord();
        WindowEvent late = record.value();
        assertThat(record.key()).isEqualTo(key(ANA));
        assertThat(late.getType()).isEqualTo(WindowEventType.LATE);
        assertThat(late.getEventId()).isEqualTo(key(ANA) + ":LATE:" + wroteAt.toEpochMilli());
        assertThat(late.getOccurredAt()).isEqualTo(wroteAt);
        assertThat(late.getWindowOpenedAt()).isEqualTo(wroteAt);
        assertThat(late.getWindowExpiresAt()).isEqualTo(wroteAt.plus(DAY));
        assertThat(late.getOpeningMessageId()).isEqualTo("wamid.outage");
        assertThat(late.getOpenedBy()).isEqualTo(WindowOpener.MESSAGE);
        assertThat(late.getFirstContact()).isTrue();
        assertThat(late.getPreviousWindowClosedAt()).isNull();
        assertThat(late.getBusinessReplied()).isFalse();
        assertThat(late.getCloseReason()).isNull();
        assertThat(record.timestamp())
                .as("written at the stream thread's time, so that it keeps the topic's whole retention")
                .isEqualTo(START.toEpochMilli());
        // Nothing opened: no state, no window-state record, nothing for dispatch to send into.
        assertThat(t.store(StoreNames.CONTACTS).get(key(ANA))).isNull();
        assertThat(t.openWindowsGauge()).isZero();
        assertThat(t.counter(WindowMetrics.IGNORED, "source", "inbound", "reason", "late"))
                .isEqualTo(1);
        assertThat(t.counter(WindowMetrics.EVENTS, "type", "LATE")).isEqualTo(1);
        t.assertNothingElseEmitted();
    }

    @Test
    void aLateMessageOfAReturningContactNamesTheirPreviousWindowAndTheClosedWindowStaysClosed() {
        t.customerWrites(MetaRecords.text("wamid.1", START, ANA));
        t.advance(DAY.plusSeconds(1));
        assertThat(t.events.readValuesToList())
                .extracting(WindowEvent::getType)
                .containsExactly(WindowEventType.OPENED, WindowEventType.CLOSED);
        t.states.readValuesToList();
        t.aliases.readValuesToList();

        // An outage of 36 hours: the customer wrote 6 hours after the window closed; it arrives 30 hours later.
        t.advance(Duration.ofHours(36));
        Instant wroteAt = START.plus(DAY).plus(Duration.ofHours(6));
        t.customerWrites(MetaRecords.text("wamid.2", wroteAt, ANA));

        WindowEvent late = t.events.readValue();
        assertThat(late.getType()).isEqualTo(WindowEventType.LATE);
        assertThat(late.getWindowOpenedAt()).isEqualTo(wroteAt);
        assertThat(late.getWindowExpiresAt()).isEqualTo(wroteAt.plus(DAY));
        assertThat(late.getFirstContact()).isFalse();
        assertThat(late.getPreviousWindowClosedAt()).isEqualTo(START.plus(DAY));
        StoredContact stored = (StoredContact) t.store(StoreNames.CONTACTS).get(key(ANA));
        assertThat(stored.getWindow().getOpen())
                .as("the window whose 24 h are over stays closed")
                .isFalse();
        assertThat(stored.getWindow().getOpenedAt()).isEqualTo(START.toEpochMilli());
        assertThat(t.openWindowsGauge()).isZero();
        t.aliases.readValuesToList();
        t.assertNothingElseEmitted();
    }

    @Test
    void aLateMessageInsideTheContactsCurrentWindowIsNoNewConversation() {
        t.customerWrites(MetaRecords.text("wamid.1", START.minus(Duration.ofHours(20)), ANA));
        t.advance(Duration.ofHours(3));
        t.customerWrites(MetaRecords.text("wamid.2", START.plus(Duration.ofHours(3)), ANA));
        t.events.readValuesToList();
        t.states.readValuesToList();
        t.aliases.readValuesToList();
        t.advance(Duration.ofHours(23));

        // Dated inside the window that is still open (until START + 27 h), a day too old to refresh it.
        t.customerWrites(MetaRecords.text("wamid.3", START.plus(Duration.ofHours(1)), ANA));

        assertThat(t.counter(WindowMetrics.IGNORED, "source", "inbound", "reason", "late"))
                .isEqualTo(1);
        assertThat(t.counter(WindowMetrics.EVENTS, "type", "LATE")).isZero();
        t.aliases.readValuesToList();
        t.assertNothingElseEmitted();
    }

    @Test
    void aLateMessageWithinADayBeforeTheContactsWindowOpenedIsThatWindowsConversation() {
        Instant openedAt = START.minus(Duration.ofHours(2));
        t.customerWrites(MetaRecords.text("wamid.2", openedAt, ANA));
        t.events.readValuesToList();
        t.states.readValuesToList();
        t.aliases.readValuesToList();

        // Written 25 hours ago, 23 hours before the window opened: that window continued its conversation.
        t.customerWrites(MetaRecords.text("wamid.1", START.minus(Duration.ofHours(25)), ANA));

        assertThat(t.counter(WindowMetrics.IGNORED, "source", "inbound", "reason", "late"))
                .isEqualTo(1);
        t.aliases.readValuesToList();
        t.assertNothingElseEmitted();
    }

    @Test
    void aLateCallIsToldAsLateOpenedByACall() {
        Instant calledAt = START.minus(Duration.ofHours(25));

        t.callArrives(MetaRecords.call("call-user-connect.json", "wacid.late", calledAt, ANA, null));

        WindowEvent late = t.events.readValue();
        assertThat(late.getType()).isEqualTo(WindowEventType.LATE);
        assertThat(late.getWindowOpenedAt()).isEqualTo(calledAt);
        assertThat(late.getOpeningMessageId()).isEqualTo("wacid.late");
        assertThat(late.getOpenedBy()).isEqualTo(WindowOpener.CALL);
        assertThat(t.store(StoreNames.CONTACTS).get(key(ANA))).isNull();
        t.assertNothingElseEmitted();
    }
}
