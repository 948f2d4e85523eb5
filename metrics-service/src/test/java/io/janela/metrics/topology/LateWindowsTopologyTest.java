package io.janela.metrics.topology;

import static io.janela.testfixtures.MetaRecords.ANA;
import static io.janela.testfixtures.MetaRecords.at;
import static io.janela.testfixtures.MetaRecords.closed;
import static io.janela.testfixtures.MetaRecords.customerMessage;
import static io.janela.testfixtures.MetaRecords.late;
import static io.janela.testfixtures.MetaRecords.opened;
import static io.janela.testfixtures.MetaRecords.sentTemplate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.janela.avro.CloseReason;
import io.janela.avro.ResponseTimeMeasurement;
import io.janela.avro.WindowClosedMeasurement;
import io.janela.avro.WindowOpenedMeasurement;
import io.janela.metrics.testing.TopologyHarness;
import io.janela.testfixtures.MetaRecords;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Outages do not erase conversations: customer messages the window-service reports as LATE (they came after the
 * window they would have opened was over) still count in the response-rate funnel, as retroactive windows flagged
 * late, opened at their first message and closed at their expiry, in Meta's time. The harness's wall clock is
 * {@link MetaRecords#T0} plus a day, so a message dated before T0 is more than a window old when it arrives.
 */
class LateWindowsTopologyTest {

    private static final Duration DAY = MetaRecords.WINDOW;

    private final TopologyHarness harness = new TopologyHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aMessageAnOutageHeldPastItsWindowCountsAsARetroactiveWindowClosedUnansweredAndFlaggedLate() {
        Instant wroteAt = at(Duration.ofHours(-6));
        harness.pipe(customerMessage(ANA, "wamid.o1", wroteAt));
        harness.pipe(late(ANA, wroteAt, "wamid.o1", true));
        harness.settle();

        assertThat(harness.readRecords(harness.measurementTopics().windowsOpened()))
                .singleElement()
                .satisfies(record -> {
                    WindowOpenedMeasurement opened = record.value();
                    assertThat(opened.getMeasurementId())
                            .isEqualTo(ANA.key() + ":window-opened:" + wroteAt.toEpochMilli());
                    assertThat(opened.getOccurredAt()).isEqualTo(wroteAt);
                    assertThat(opened.getOpeningMessageId()).isEqualTo("wamid.o1");
                    assertThat(opened.getFirstContact()).isTrue();
                    assertThat(opened.getLate()).isTrue();
                });
        assertThat(harness.read(harness.measurementTopics().windowsClosed()))
                .singleElement()
                .satisfies(closed -> {
                    assertThat(closed.getOccurredAt()).isEqualTo(wroteAt.plus(DAY));
                    assertThat(closed.getWindowOpenedAt()).isEqualTo(wroteAt);
                    assertThat(closed.getCloseReason()).isEqualTo(CloseReason.EXPIRED);
                    assertThat(closed.getBusinessReplied()).isFalse();
                    assertThat(closed.getCustomerWaitingSince()).isEqualTo(wroteAt);
                    assertThat(closed.getLate()).isTrue();
                });
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void moreRetroactiveWindowsThanAContactKeepsAreAllMeasuredBeforeTheCapForgetsThem() {
        int windows = 18; // two more than the 16 windows a contact's state keeps (Conversation.MAX_WINDOWS)
        for (int i = windows; i >= 1; i--) {
            Instant wroteAt = at(Duration.ofHours(-25L * i)); // a day and an hour apart: each its own window
            harness.pipe(customerMessage(ANA, "wamid.cap-" + i, wroteAt));
            harness.pipe(late(ANA, wroteAt, "wamid.cap-" + i, i == windows));
        }
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().windowsOpened()))
                .hasSize(windows)
                .allSatisfy(opened -> assertThat(opened.getLate()).isTrue());
        assertThat(harness.read(harness.measurementTopics().windowsClosed()))
                .hasSize(windows)
                .allSatisfy(closed -> assertThat(closed.getLate()).isTrue());
    }

    @Test
    void aLateActRedeliveredInsideARetroactiveWindowTheCapForgotMakesNoWindowOfItsOwn() {
        int windows = 17; // one more than a contact's state keeps (Conversation.MAX_WINDOWS): the oldest goes
        for (int i = windows; i >= 1; i--) {
            // 30 h apart, two acts an hour apart each: each pair one window, over 25 h after its first act.
            Instant first = at(Duration.ofHours(-30L * i));
            harness.pipe(customerMessage(ANA, "wamid.cap-" + i + "a", first));
            harness.pipe(late(ANA, first, "wamid.cap-" + i + "a", i == windows));
            harness.pipe(customerMessage(ANA, "wamid.cap-" + i + "b", first.plus(Duration.ofHours(1))));
            harness.pipe(late(ANA, first.plus(Duration.ofHours(1)), "wamid.cap-" + i + "b", false));
        }
        harness.settle();
        assertThat(harness.read(harness.measurementTopics().windowsOpened())).hasSize(windows);
        assertThat(harness.read(harness.measurementTopics().windowsClosed())).hasSize(windows);

        // Meta retries the webhook of the oldest window's second message; the window-service tells it LATE again. That
        // window was measured and forgotten: the act is too old to place, not the opening of a window of its own.
        Instant redelivered = at(Duration.ofHours(-30L * windows + 1));
        harness.pipe(late(ANA, redelivered, "wamid.cap-" + windows + "b", false));
        harness.settle();

        assertThat(harness.unreadMeasurements()).isEmpty();
        assertThat(harness.counter("janela.inputs.late", "input", "window_event"))
                .isEqualTo(1);
    }

    @Test
    void theLateMessagesOfOneOutageMakeTheWindowsTheWindowServiceWouldHaveOpenedWhateverTheirOrder() {
        Instant first = at(Duration.ofHours(-40));
        Instant second = at(Duration.ofHours(-30)); // within a day of the first: the same window, now to second + 24 h
        Instant third = at(Duration.ofHours(-4)); // after that window's end: a window of its own
        Instant reply = at(Duration.ofHours(-35));
        harness.pipe(customerMessage(ANA, "wamid.3", third));
        harness.pipe(late(ANA, third, "wamid.3", false));
        harness.pipe(customerMessage(ANA, "wamid.2", second));
        harness.pipe(late(ANA, second, "wamid.2", false));
        harness.pipe(sentTemplate(ANA, "request-1", "wamid.b1", reply).build());
        harness.pipe(customerMessage(ANA, "wamid.1", first));
        harness.pipe(late(ANA, first, "wamid.1", false));
        harness.pipe(late(ANA, second, "wamid.2", false));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().windowsOpened()))
                .extracting(
                        WindowOpenedMeasurement::getOccurredAt,
                        WindowOpenedMeasurement::getOpeningMessageId,
                        WindowOpenedMeasurement::getLate)
                .containsExactly(tuple(first, "wamid.1", true), tuple(third, "wamid.3", true));
        assertThat(harness.read(harness.measurementTopics().windowsClosed()))
                .extracting(
                        WindowClosedMeasurement::getWindowOpenedAt,
                        WindowClosedMeasurement::getOccurredAt,
                        WindowClosedMeasurement::getBusinessReplied,
                        WindowClosedMeasurement::getCustomerWaitingSince,
                        WindowClosedMeasurement::getLate)
                .containsExactly(
                        tuple(first, second.plus(DAY), true, second, true),
                        tuple(third, third.plus(DAY), false, third, true));
        assertThat(harness.read(harness.measurementTopics().responseTimes()))
                .extracting(ResponseTimeMeasurement::getWaitingSince, ResponseTimeMeasurement::getWindowOpenedAt)
                .containsExactly(tuple(first, first));
        assertThat(harness.read(harness.measurementTopics().firstResponses()))
                .singleElement()
                .satisfies(response -> assertThat(response.getWindowOpenedAt()).isEqualTo(first));
        assertThat(harness.counter("janela.inputs.duplicates", "input", "window_event"))
                .isEqualTo(1);
        harness.read(harness.measurementTopics().messagesSent());
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void theWindowAfterARetroactiveOneIsAReturningContactsFromTheRetroactiveWindowsClose() {
        Instant wroteAt = at(Duration.ofHours(-40));
        Instant cameBack = at(Duration.ofHours(-10));
        harness.pipe(customerMessage(ANA, "wamid.1", wroteAt));
        harness.pipe(late(ANA, wroteAt, "wamid.1", true));
        // The window-service knows nothing before it: a first contact, as it says.
        harness.pipe(customerMessage(ANA, "wamid.2", cameBack));
        harness.pipe(opened(ANA, cameBack, "wamid.2", true));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().windowsOpened()))
                .extracting(
                        WindowOpenedMeasurement::getOccurredAt,
                        WindowOpenedMeasurement::getFirstContact,
                        WindowOpenedMeasurement::getPreviousWindowClosedAt,
                        WindowOpenedMeasurement::getLate)
                .containsExactly(tuple(wroteAt, true, null, true), tuple(cameBack, false, wroteAt.plus(DAY), false));
        assertThat(harness.read(harness.measurementTopics().windowsClosed())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aWindowTheWindowServiceOpenedWithinALateMessagesDayContinuesThatConversation() {
        Instant wroteAt = at(Duration.ofHours(-26));
        Instant reopenedAt = at(Duration.ofHours(-10));
        harness.pipe(customerMessage(ANA, "wamid.1", wroteAt));
        harness.pipe(late(ANA, wroteAt, "wamid.1", true));
        harness.pipe(customerMessage(ANA, "wamid.2", reopenedAt));
        harness.pipe(opened(ANA, reopenedAt, "wamid.2", true));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().windowsOpened()))
                .extracting(WindowOpenedMeasurement::getOccurredAt, WindowOpenedMeasurement::getLate)
                .containsExactly(tuple(reopenedAt, false));
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aLateMessageInsideAWindowAlreadyReportedMakesNoWindowOfItsOwn() {
        Instant openedAt = at(Duration.ofHours(-40));
        harness.pipe(customerMessage(ANA, "wamid.1", openedAt));
        harness.pipe(opened(ANA, openedAt, "wamid.1", true));
        harness.pipe(closed(ANA, openedAt, openedAt.plus(DAY), false));
        Instant lateAt = at(Duration.ofHours(-30));
        harness.pipe(customerMessage(ANA, "wamid.2", lateAt));
        harness.pipe(late(ANA, lateAt, "wamid.2", false));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().windowsOpened()))
                .extracting(WindowOpenedMeasurement::getOccurredAt, WindowOpenedMeasurement::getLate)
                .containsExactly(tuple(openedAt, false));
        assertThat(harness.read(harness.measurementTopics().windowsClosed()))
                .extracting(WindowClosedMeasurement::getWindowOpenedAt, WindowClosedMeasurement::getLate)
                .containsExactly(tuple(openedAt, false));
        // The reported window closed on a waiting customer: its notice, as for any window.
        assertThat(harness.read(harness.topics().slaEvents())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aRetroactiveWindowAlreadyMeasuredStandsWhenAnEarlierLateMessageComesAfterTheSettleDelay() {
        Instant wroteAt = at(Duration.ofHours(-10));
        harness.pipe(late(ANA, wroteAt, "wamid.2", false));
        harness.settle();
        assertThat(harness.read(harness.measurementTopics().windowsOpened())).hasSize(1);
        assertThat(harness.read(harness.measurementTopics().windowsClosed())).hasSize(1);

        // Within a day before it: it would have moved the opening back; the measured window cannot be taken back.
        harness.pipe(late(ANA, wroteAt.minus(Duration.ofHours(3)), "wamid.1", false));
        harness.settle();

        assertThat(harness.unreadMeasurements()).isEmpty();
        // Its conversation is in no window: counted once, however often Meta delivers it again.
        assertThat(unplaced("window_measured")).isEqualTo(1);
        harness.pipe(late(ANA, wroteAt.minus(Duration.ofHours(3)), "wamid.1", false));
        harness.settle();
        assertThat(unplaced("window_measured")).isEqualTo(1);
        assertThat(unplaced("over_cap")).isZero();
    }

    @Test
    void lateActsBeyondWhatAContactKeepsAreCountedWhenTheOldestIsForgottenBeforeAnyWindowHeldIt() {
        assertThat(harness.registered("janela.late.acts.unplaced", "reason", "over_cap"))
                .isTrue();
        assertThat(harness.registered("janela.late.acts.unplaced", "reason", "window_measured"))
                .isTrue();
        // One more than a contact's state keeps (Conversation.MAX_LATE_ACTS), a minute apart, within one settle delay.
        int acts = 65;
        Instant first = at(Duration.ofHours(-30));
        for (int i = 1; i <= acts; i++) {
            // The oldest comes last: forgotten as soon as it arrives, and counted once (not also as in no window).
            int minute = i % acts;
            harness.pipe(late(ANA, first.plus(Duration.ofMinutes(minute)), "wamid.burst-" + minute, minute == 0));
        }
        harness.settle();

        // The oldest went before the window was measured: the window opens at the second.
        assertThat(unplaced("over_cap")).isEqualTo(1);
        assertThat(harness.read(harness.measurementTopics().windowsOpened()))
                .extracting(WindowOpenedMeasurement::getOccurredAt, WindowOpenedMeasurement::getLate)
                .containsExactly(tuple(first.plus(Duration.ofMinutes(1)), true));
        assertThat(unplaced("window_measured")).isZero();
    }

    private double unplaced(String reason) {
        return harness.counter("janela.late.acts.unplaced", "reason", reason);
    }
}
