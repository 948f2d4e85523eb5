package io.janela.window.tracking;

import static io.janela.testfixtures.MetaRecords.PHONE_NUMBER_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.CloseReason;
import io.janela.avro.ContactWindow;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.avro.WindowStatus;
import io.janela.streams.DeadlineRebuild;
import io.janela.testfixtures.MetaRecords;
import io.janela.window.rules.WindowPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WindowTopologyTest {

    static final Instant START = Instant.parse("2026-11-20T10:00:00Z");
    static final Duration DAY = Duration.ofHours(24);
    static final String ANA = "US.13491208655302741918";
    static final String BEN = "BR.20000000000000000001";
    static final String CAL = "PT.30000000000000000002";

    TrackingDriver t;

    TrackingDriver start(TrackingSettings settings) {
        t = TrackingDriver.start(settings, START);
        return t;
    }

    @AfterEach
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    static String key(String contactId) {
        return PHONE_NUMBER_ID + ":" + contactId;
    }

    @Test
    void aFirstCustomerMessageEmitsOpenedAndTheOpenState() {
        start(TrackingDriver.SETTINGS);
        Instant sentAt = START.minusSeconds(2);

        t.customerWrites(MetaRecords.text("wamid.1", sentAt, ANA));

        WindowEvent opened = t.events.readValue();
        assertThat(opened.getType()).isEqualTo(WindowEventType.OPENED);
        assertThat(opened.getEventId()).isEqualTo(key(ANA) + ":OPENED:" + sentAt.toEpochMilli());
        assertThat(opened.getOccurredAt()).isEqualTo(sentAt);
        assertThat(opened.getWindowExpiresAt()).isEqualTo(sentAt.plus(DAY));
        assertThat(opened.getFirstContact()).isTrue();
        assertThat(opened.getOpeningMessageId()).isEqualTo("wamid.1");
        ContactWindow state = t.states.readValue();
        assertThat(state.getStatus()).isEqualTo(WindowStatus.OPEN);
        assertThat(state.getExpiresAt()).isEqualTo(sentAt.plus(DAY));
        assertThat(state.getInboundMessages()).isEqualTo(1);
        assertThat(t.openWindowsGauge()).isEqualTo(1);
        assertThat(t.counter(WindowMetrics.EVENTS, "type", "OPENED")).isEqualTo(1);
        t.assertNothingElseEmitted();
    }

    @Test
    void advancingTheWallClockClosesExactlyTheDueWindowsAtTheirExpiry() {
        start(TrackingDriver.SETTINGS);
        t.customerWrites(MetaRecords.text("wamid.a", START.minus(Duration.ofHours(10)), ANA));
        t.customerWrites(MetaRecords.text("wamid.b", START.minus(Duration.ofHours(5)), BEN));
        t.customerWrites(MetaRecords.text("wamid.c", START.minus(Duration.ofHours(1)), CAL));
        assertThat(t.events.readValuesToList()).hasSize(3);
        assertThat(t.states.readValuesToList()).hasSize(3);

        t.advance(Duration.ofHours(14).plusMillis(300));

        List<KeyValue<String, WindowEvent>> events = t.events.readKeyValuesToList();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.key).isEqualTo(key(ANA));
            assertThat(event.value.getType()).isEqualTo(WindowEventType.CLOSED);
            assertThat(event.value.getOccurredAt()).isEqualTo(START.plus(Duration.ofHours(14)));
            assertThat(event.value.getCloseReason()).isEqualTo(CloseReason.EXPIRED);
            assertThat(event.value.getBusinessReplied()).isFalse();
            assertThat(event.value.getWaitingSince()).isEqualTo(START.minus(Duration.ofHours(10)));
        });
        assertThat(t.states.readKeyValuesToList()).singleElement().satisfies(state -> {
            assertThat(state.key).isEqualTo(key(ANA));
            assertThat(state.value.getStatus()).isEqualTo(WindowStatus.CLOSED);
            assertThat(state.value.getClosedAt()).isEqualTo(START.plus(Duration.ofHours(14)));
        });
        assertThat(t.openWindowsGauge()).isEqualTo(2);
        assertThat(t.deadlineCount()).isEqualTo(2); // one entry per open window: BEN's and CAL's next
        t.assertNothingElseEmitted();
    }

    @Test
    void closingSoonFiresOncePerLeadTimeThenTheWindowCloses() {
        start(new TrackingSettings(
                policyWithLeads(Duration.ofHours(2), Duration.ofMinutes(30)),
                Duration.ofSeconds(1),
                10_000,
                Duration.ofMinutes(5),
                DeadlineRebuild.Pace.DEFAULT));
        t.customerWrites(MetaRecords.text("wamid.a", START, ANA));
        t.events.readValue();
        t.states.readValue();

        t.advance(Duration.ofHours(22).plusSeconds(1));
        WindowEvent twoHours = t.events.readValue();
        t.advance(Duration.ofSeconds(1));
        t.advance(Duration.ofMinutes(90));
        WindowEvent halfHour = t.events.readValue();
        t.advance(Duration.ofSeconds(1));
        assertThat(t.events.isEmpty()).isTrue();
        t.advance(Duration.ofMinutes(30));
        WindowEvent closed = t.events.readValue();

        assertThat(twoHours.getType()).isEqualTo(WindowEventType.CLOSING_SOON);
        assertThat(twoHours.getLeadTimeMillis()).isEqualTo(Duration.ofHours(2).toMillis());
        assertThat(twoHours.getOccurredAt()).isEqualTo(START.plus(Duration.ofHours(22)));
        assertThat(halfHour.getType()).isEqualTo(WindowEventType.CLOSING_SOON);
        assertThat(halfHour.getLeadTimeMillis())
                .isEqualTo(Duration.ofMinutes(30).toMillis());
        assertThat(halfHour.getEventId()).isNotEqualTo(twoHours.getEventId());
        assertThat(closed.getType()).isEqualTo(WindowEventType.CLOSED);
        assertThat(closed.getOccurredAt()).isEqualTo(START.plus(DAY));
        assertThat(t.states.readValue().getStatus()).isEqualTo(WindowStatus.CLOSED);
        t.advance(DAY);
        t.assertNothingElseEmitted();
    }

    @Test
    void aRefreshBeforeExpiryCancelsThePendingEventsAndSchedulesNewOnes() {
        start(TrackingDriver.SETTINGS);
        t.customerWrites(MetaRecords.text("wamid.a", START, ANA));
        t.events.readValue();
        t.states.readValue();
        assertThat(t.deadlineCount()).isEqualTo(1);

        t.advance(Duration.ofHours(20));
        Instant refreshAt = START.plus(Duration.ofHours(20));
        t.customerWrites(MetaRecords.text("wamid.b", refreshAt, ANA));
        assertThat(t.states.readValue().getExpiresAt()).isEqualTo(refreshAt.plus(DAY));
        assertThat(t.deadlineCount()).isEqualTo(1);

        t.advance(Duration.ofHours(5));
        assertThat(t.events.isEmpty())
                .as("nothing at the old warning or expiry")
                .isTrue();

        t.advance(Duration.ofHours(18).plusSeconds(1));
        WindowEvent soon = t.events.readValue();
        t.advance(Duration.ofHours(1));
        WindowEvent closed = t.events.readValue();

        assertThat(soon.getType()).isEqualTo(WindowEventType.CLOSING_SOON);
        assertThat(soon.getOccurredAt()).isEqualTo(refreshAt.plus(Duration.ofHours(23)));
        assertThat(closed.getType()).isEqualTo(WindowEventType.CLOSED);
        assertThat(closed.getOccurredAt()).isEqualTo(refreshAt.plus(DAY));
        assertThat(closed.getWindowOpenedAt()).isEqualTo(START);
        assertThat(t.states.readValue().getStatus()).isEqualTo(WindowStatus.CLOSED);
        assertThat(t.deadlineCount()).isZero();
        t.assertNothingElseEmitted();
    }

    @Test
    void aReturningContactOpensAWindowWithThePreviousCloseTime() {
        start(TrackingDriver.SETTINGS);
        t.customerWrites(MetaRecords.text("wamid.a", START, ANA));
        t.advance(Duration.ofHours(30));
        assertThat(t.events.readValuesToList())
                .extracting(WindowEvent::getType)
                // One step past the expiry: the one-hour warning would come after the fact, so it does not come.
                .containsExactly(WindowEventType.OPENED, WindowEventType.CLOSED);
        t.states.readValuesToList();

        Instant back = START.plus(Duration.ofHours(30));
        t.customerWrites(MetaRecords.text("wamid.b", back, ANA));

        WindowEvent reopened = t.events.readValue();
        assertThat(reopened.getType()).isEqualTo(WindowEventType.OPENED);
        assertThat(reopened.getFirstContact()).isFalse();
        assertThat(reopened.getPreviousWindowClosedAt()).isEqualTo(START.plus(DAY));
        ContactWindow state = t.states.readValue();
        assertThat(state.getWindowsOpened()).isEqualTo(2);
        assertThat(state.getPreviousWindowClosedAt()).isEqualTo(START.plus(DAY));
        t.assertNothingElseEmitted();
    }

    @Test
    void lateDuplicateAndNonQualifyingMessagesOpenNothingAndAreCounted() {
        start(TrackingDriver.SETTINGS);
        t.customerWrites(MetaRecords.text("wamid.a", START, ANA));
        t.events.readValue();
        t.states.readValue();

        t.customerWrites(MetaRecords.text("wamid.old", START.minus(Duration.ofHours(25)), BEN));
        t.customerWrites(MetaRecords.text("wamid.a", START, ANA));
        t.customerWrites(MetaRecords.inbound("reaction-message.json", "wamid.r", START, ANA, null));

        assertThat(t.counter(WindowMetrics.IGNORED, "source", "inbound", "reason", "late"))
                .isEqualTo(1);
        assertThat(t.counter(WindowMetrics.IGNORED, "source", "inbound", "reason", "duplicate"))
                .isEqualTo(1);
        assertThat(t.counter(WindowMetrics.IGNORED, "source", "inbound", "reason", "not_qualifying"))
                .isEqualTo(1);
        assertThat(t.store(StoreNames.CONTACTS).get(key(BEN))).isNull();
        // The late one is told (LateActTopologyTest), and opens nothing.
        assertThat(t.events.readValue().getType()).isEqualTo(WindowEventType.LATE);
        t.assertNothingElseEmitted();
    }

    @Test
    void closingManyDueWindowsAtOnceIsSpreadOverPassesWithoutHoldingUpRecords() {
        start(new TrackingSettings(
                policyWithLeads(), Duration.ofSeconds(1), 100, Duration.ofMinutes(5), DeadlineRebuild.Pace.DEFAULT));
        Instant wroteAt = START.minus(Duration.ofHours(23));
        for (int i = 0; i < 250; i++) {
            t.customerWrites(MetaRecords.text("wamid." + i, wroteAt, "US.1" + i));
        }
        t.events.readValuesToList();
        t.states.readValuesToList();

        t.advance(Duration.ofHours(1).plusSeconds(1));
        assertThat(t.events.readValuesToList()).hasSize(100);
        t.customerWrites(MetaRecords.text("wamid.new", START.plus(Duration.ofHours(1)), ANA));
        assertThat(t.events.readValue().getType()).isEqualTo(WindowEventType.OPENED);
        t.advance(Duration.ofMillis(1));
        assertThat(t.events.readValuesToList()).hasSize(100);
        t.advance(Duration.ofMillis(1));
        List<WindowEvent> last = t.events.readValuesToList();

        assertThat(last).hasSize(50).allSatisfy(event -> {
            assertThat(event.getType()).isEqualTo(WindowEventType.CLOSED);
            assertThat(event.getOccurredAt()).isEqualTo(wroteAt.plus(DAY));
        });
        assertThat(t.openWindowsGauge()).isEqualTo(1);
        assertThat(t.states.readValuesToList()).hasSize(251);
        t.advance(Duration.ofMillis(1));
        t.assertNothingElseEmitted();
    }

    static WindowPolicy policyWithLeads(Duration... leads) {
        WindowPolicy meta = WindowPolicy.meta();
        return new WindowPolicy(
                meta.windowLength(),
                List.of(leads),
                meta.fepEligibility(),
                meta.fepLength(),
                meta.recentMessages(),
                meta.aliasRefresh());
    }

    @Test
    void aClosingSoonForARefreshedExpiryHasItsOwnEventId() {
        start(TrackingDriver.SETTINGS);
        t.customerWrites(MetaRecords.text("wamid.a", START, ANA));
        t.events.readValue();
        t.states.readValue();
        t.advance(Duration.ofHours(23).plusSeconds(1));
        WindowEvent first = t.events.readValue();
        t.states.readValuesToList();

        // The customer writes after the warning: a new expiry, and a new warning an hour before it.
        Instant refreshAt = START.plus(Duration.ofHours(23)).plusSeconds(1);
        t.customerWrites(MetaRecords.text("wamid.b", refreshAt, ANA));
        t.states.readValue();
        t.advance(Duration.ofHours(23));
        t.advance(Duration.ofSeconds(1));
        WindowEvent second = t.events.readValue();
        t.states.readValuesToList();

        assertThat(first.getType()).isEqualTo(WindowEventType.CLOSING_SOON);
        assertThat(second.getType()).isEqualTo(WindowEventType.CLOSING_SOON);
        assertThat(second.getWindowExpiresAt()).isNotEqualTo(first.getWindowExpiresAt());
        // eventId is documented as the key consumers dedupe on: two different warnings must not share it.
        assertThat(second.getEventId()).isNotEqualTo(first.getEventId());
        t.assertNothingElseEmitted();
    }
}
