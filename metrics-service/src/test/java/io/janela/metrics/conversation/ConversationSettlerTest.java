package io.janela.metrics.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.CloseReason;
import io.janela.avro.FirstResponseMeasurement;
import io.janela.avro.ResponderKind;
import io.janela.avro.ResponseTimeMeasurement;
import io.janela.avro.WindowClosedMeasurement;
import io.janela.avro.WindowOpenedMeasurement;
import io.janela.metrics.streams.LateMeasurement;
import io.janela.metrics.streams.MeasurementSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The definitions on hand-built timelines. Times: event times are minutes/seconds after {@code T}; arrivals are
 * processing times in ms, and the settle delay is {@link #DELAY} ms.
 */
class ConversationSettlerTest {

    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
    private static final Duration WINDOW = Duration.ofHours(24);
    private static final long DELAY = 30_000;

    private final Conversation conversation = Conversation.empty("106540352242922", "US.1");
    private long clock = 1_000_000;

    @Test
    void responseTimeRunsFromTheFirstUnansweredCustomerMessageToTheNextBusinessMessage() {
        customer("c1", seconds(0));
        customer("c2", seconds(10));
        business("b1", seconds(30), ResponderKind.AGENT);

        ResponseTimeMeasurement response = single(settled(), ResponseTimeMeasurement.class);
        assertThat(response.getResponseTimeMillis()).isEqualTo(30_000);
        assertThat(response.getCustomerMessageId()).isEqualTo("c1");
        assertThat(response.getCustomerMessages()).isEqualTo(2);
        assertThat(response.getResponderKind()).isEqualTo(ResponderKind.AGENT);
        assertThat(response.getMeasurementId()).isEqualTo("106540352242922:US.1:response:b1");
    }

    @Test
    void eachBusinessMessageAnswersOnlyTheCustomerMessagesSinceThePreviousOne() {
        customer("c1", seconds(0));
        business("b1", seconds(5), ResponderKind.BOT);
        customer("c2", seconds(10));
        business("b2", seconds(40), ResponderKind.AGENT);
        business("b3", seconds(50), ResponderKind.AGENT);

        assertThat(all(settled(), ResponseTimeMeasurement.class))
                .extracting(
                        ResponseTimeMeasurement::getBusinessMessageId, ResponseTimeMeasurement::getResponseTimeMillis)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("b1", 5_000L),
                        org.assertj.core.groups.Tuple.tuple("b2", 30_000L));
    }

    @Test
    void aCustomerMessageInTheSameSecondAsTheAnswerCountsAsAnswered() {
        customer("c1", seconds(7));
        business("b1", seconds(7), ResponderKind.BOT);

        assertThat(single(settled(), ResponseTimeMeasurement.class).getResponseTimeMillis())
                .isZero();
    }

    @Test
    void aBusinessMessageNobodyWaitedForMeasuresNoResponse() {
        business("b1", seconds(0), ResponderKind.CAMPAIGN);

        assertThat(settled()).isEmpty();
    }

    @Test
    void recordsArrivingInAnyOrderWithinTheSettleDelayGiveTheInOrderMeasurement() {
        business("b1", seconds(30), ResponderKind.BOT);
        customer("c2", seconds(10));
        customer("c1", seconds(0));

        ResponseTimeMeasurement response = single(settled(), ResponseTimeMeasurement.class);
        assertThat(response.getResponseTimeMillis()).isEqualTo(30_000);
        assertThat(response.getCustomerMessages()).isEqualTo(2);
    }

    @Test
    void nothingIsEmittedBeforeTheSettleDelayAndTheSettlementSaysWhenToLookAgain() {
        customer("c1", seconds(0));
        long arrival = clock;
        business("b1", seconds(30), ResponderKind.BOT);
        long answerArrival = clock;

        ConversationSettler.Settlement early =
                ConversationSettler.settle(conversation, arrival, Duration.ofMillis(DELAY));

        assertThat(early.measurements()).isEmpty();
        assertThat(early.nextCheckAt()).isEqualTo(answerArrival + DELAY);
    }

    @Test
    void aCustomerMessageArrivingAfterItsAnswerWasEmittedIsCountedLateAndChangesNothing() {
        customer("c2", seconds(10));
        business("b1", seconds(30), ResponderKind.BOT);
        assertThat(single(settled(), ResponseTimeMeasurement.class).getResponseTimeMillis())
                .isEqualTo(20_000);

        customer("c1", seconds(0));
        ConversationSettler.Settlement later = settle();

        assertThat(later.measurements()).isEmpty();
        assertThat(later.late()).isEqualTo(Map.of(LateMeasurement.RESPONSE_TIME, 1));
        assertThat(settle().late()).as("counted once").isEmpty();
    }

    @Test
    void aLateBusinessMessageThatSplitsAnEmittedResponseIsCountedLate() {
        customer("c1", seconds(0));
        customer("c2", seconds(20));
        business("b2", seconds(30), ResponderKind.AGENT);
        settled();

        business("b1", seconds(10), ResponderKind.BOT);
        ConversationSettler.Settlement later = settle();

        assertThat(later.measurements()).isEmpty();
        assertThat(later.late()).containsEntry(LateMeasurement.RESPONSE_TIME, 2);
    }

    @Test
    void aLateCustomerMessageAnsweredByAnUnmeasuredBusinessMessageIsMeasuredAsInOrder() {
        business("b1", seconds(30), ResponderKind.BOT);
        assertThat(settled()).isEmpty();

        customer("c1", seconds(0));

        assertThat(single(settled(), ResponseTimeMeasurement.class).getResponseTimeMillis())
                .isEqualTo(30_000);
    }

    @Test
    void theFirstResponseRunsFromTheOpeningMessageAndItsHeadroomCountsTheRefreshesBeforeIt() {
        customer("c1", minutes(0));
        opened(minutes(0), true);
        customer("c2", minutes(120));
        business("b1", minutes(180), ResponderKind.AGENT);
        business("b2", minutes(190), ResponderKind.AGENT);

        FirstResponseMeasurement first = single(settled(), FirstResponseMeasurement.class);
        assertThat(first.getBusinessMessageId()).isEqualTo("b1");
        assertThat(first.getFirstResponseTimeMillis())
                .isEqualTo(Duration.ofMinutes(180).toMillis());
        assertThat(first.getWindowExpiresAt()).isEqualTo(minutes(120).plus(WINDOW));
        assertThat(first.getHeadroomMillis()).isEqualTo(Duration.ofHours(23).toMillis());
    }

    @Test
    void theHeadroomOfAWindowKnownOnlyFromItsClosedEventStartsFromTheExpiryKnownAtTheFirstResponse() {
        customer("c1", minutes(0));
        business("b1", minutes(60), ResponderKind.AGENT);
        customer("c2", minutes(180));
        // The CLOSED event carries the final expiry (c2 + 24 h) and the last qualifying customer message (c2).
        expired(minutes(0), minutes(180), minutes(180));

        FirstResponseMeasurement first = single(settled(), FirstResponseMeasurement.class);
        assertThat(first.getFirstResponseTimeMillis())
                .isEqualTo(Duration.ofMinutes(60).toMillis());
        // At the first response only c1 had written: the window would have expired at c1 + 24 h.
        assertThat(first.getWindowExpiresAt()).isEqualTo(minutes(0).plus(WINDOW));
        assertThat(first.getHeadroomMillis()).isEqualTo(Duration.ofHours(23).toMillis());
    }

    @Test
    void theHeadroomOfAWindowKnownOnlyFromAClosedByMetaEventStartsFromTheWindowLengthNotMetasClose() {
        customer("c1", minutes(0));
        business("b1", minutes(60), ResponderKind.AGENT);
        customer("c2", minutes(120));
        // A 131047 closed the window: its CLOSED event carries Meta's close time as windowExpiresAt.
        Instant metaClosedAt = minutes(300);
        conversation.windowClosed(
                minutes(0),
                metaClosedAt,
                minutes(120),
                new Window.Closing(metaClosedAt, CloseReason.CLOSED_BY_META, true, null, arrive()));

        FirstResponseMeasurement first = single(settled(), FirstResponseMeasurement.class);
        // At b1 the window would have expired at c1 + 24 h as far as anyone knew.
        assertThat(first.getWindowExpiresAt()).isEqualTo(minutes(0).plus(WINDOW));
        assertThat(first.getHeadroomMillis()).isEqualTo(Duration.ofHours(23).toMillis());
    }

    @Test
    void aClosedEventWithoutItsLastCustomerMessageTakesTheWindowsLengthFromTheLatestOneSeenInIt() {
        customer("c1", minutes(0));
        business("b1", minutes(60), ResponderKind.AGENT);
        customer("c2", minutes(180));
        expired(minutes(0), minutes(180), null);

        FirstResponseMeasurement first = single(settled(), FirstResponseMeasurement.class);
        assertThat(first.getWindowExpiresAt()).isEqualTo(minutes(0).plus(WINDOW));
        assertThat(first.getHeadroomMillis()).isEqualTo(Duration.ofHours(23).toMillis());
    }

    @Test
    void anOpenedEventArrivingAfterTheClosedEventGivesTheWindowItsOpeningExpiry() {
        // Nothing of the window was seen yet: from the CLOSED event alone its final expiry is all that is known.
        expired(minutes(0), minutes(180), null);
        opened(minutes(0), false);
        customer("c1", minutes(0));
        business("b1", minutes(60), ResponderKind.AGENT);
        customer("c2", minutes(180));

        FirstResponseMeasurement first = single(settled(), FirstResponseMeasurement.class);
        assertThat(first.getWindowExpiresAt()).isEqualTo(minutes(0).plus(WINDOW));
        assertThat(first.getHeadroomMillis()).isEqualTo(Duration.ofHours(23).toMillis());
    }

    @Test
    void aBusinessMessageBeforeTheWindowOrAfterItExpiredIsNotItsFirstResponse() {
        business("b0", minutes(-5), ResponderKind.CAMPAIGN);
        customer("c1", minutes(0));
        opened(minutes(0), false);
        business("b1", minutes(0).plus(WINDOW).plusSeconds(1), ResponderKind.AGENT);

        assertThat(all(settled(), FirstResponseMeasurement.class)).isEmpty();
    }

    @Test
    void theFirstResponseIsFoundWhenTheBusinessMessageArrivesBeforeTheOpenedEvent() {
        customer("c1", seconds(0));
        business("b1", seconds(3), ResponderKind.BOT);
        settled();

        opened(seconds(0), true);

        List<SpecificRecord> emitted = settled();
        assertThat(single(emitted, FirstResponseMeasurement.class).getFirstResponseTimeMillis())
                .isEqualTo(3_000);
        assertThat(single(emitted, WindowOpenedMeasurement.class).getFirstContact())
                .isTrue();
    }

    @Test
    void aWindowClosedWithAReplyAndNobodyWaitingCountsAsReplied() {
        customer("c1", minutes(0));
        opened(minutes(0), true);
        business("b1", minutes(1), ResponderKind.AGENT);
        closed(minutes(0), minutes(0).plus(WINDOW), false, null);

        WindowClosedMeasurement closed = single(settled(), WindowClosedMeasurement.class);
        assertThat(closed.getBusinessReplied()).isTrue();
        assertThat(closed.getFirstResponseAt()).isEqualTo(minutes(1));
        assertThat(closed.getCustomerWaitingSince()).isNull();
        assertThat(closed.getCloseReason()).isEqualTo(CloseReason.EXPIRED);
    }

    @Test
    void aWindowThatExpiredAfterAnUnansweredMessageClosedWhileTheCustomerWaited() {
        customer("c1", minutes(0));
        opened(minutes(0), false);
        business("b1", minutes(1), ResponderKind.AGENT);
        customer("c2", minutes(30));
        customer("c3", minutes(31));
        closed(minutes(0), minutes(31).plus(WINDOW), true, minutes(30));

        WindowClosedMeasurement closed = single(settled(), WindowClosedMeasurement.class);
        assertThat(closed.getBusinessReplied()).isTrue();
        assertThat(closed.getCustomerWaitingSince()).isEqualTo(minutes(30));
    }

    @Test
    void aWindowWhoseMessagesThisServiceNeverSawKeepsTheWindowServicesAccount() {
        closed(minutes(0), minutes(0).plus(WINDOW), true, minutes(40));

        WindowClosedMeasurement closed = single(settled(), WindowClosedMeasurement.class);
        assertThat(closed.getBusinessReplied()).isTrue();
        assertThat(closed.getCustomerWaitingSince()).isEqualTo(minutes(40));
    }

    @Test
    void aBusinessMessageArrivingAfterTheCloseWasEmittedIsCountedLate() {
        customer("c1", minutes(0));
        opened(minutes(0), false);
        closed(minutes(0), minutes(0).plus(WINDOW), false, minutes(0));
        assertThat(single(settled(), WindowClosedMeasurement.class).getBusinessReplied())
                .isFalse();

        business("b1", minutes(10), ResponderKind.AGENT);
        ConversationSettler.Settlement later = settle();

        assertThat(later.late()).containsEntry(LateMeasurement.WINDOW_CLOSED, 1);
        assertThat(later.measurements()).noneMatch(WindowClosedMeasurement.class::isInstance);
    }

    @Test
    void aRepeatedWebhookOrWindowEventIsAppliedOnce() {
        assertThat(conversation.addCustomerMessage(new CustomerMessage("c1", seconds(0), clock)))
                .isEqualTo(Conversation.Applied.ADDED);
        assertThat(conversation.addCustomerMessage(new CustomerMessage("c1", seconds(0), clock)))
                .isEqualTo(Conversation.Applied.DUPLICATE);
        opened(seconds(0), true);
        assertThat(conversation.windowOpened(seconds(0), seconds(0).plus(WINDOW), opening(true)))
                .isEqualTo(Conversation.Applied.DUPLICATE);

        assertThat(all(settled(), WindowOpenedMeasurement.class)).hasSize(1);
        assertThat(all(settled(), WindowOpenedMeasurement.class)).isEmpty();
    }

    @Test
    void pruningKeepsWholeResponsesAndRefusesWhatFallsBeforeIt() {
        customer("c1", minutes(0));
        business("b1", minutes(1), ResponderKind.AGENT);
        customer("c2", Instant.parse("2026-11-23T10:00:00Z"));
        settled();

        prune(1000);

        assertThat(conversation.customers())
                .extracting(CustomerMessage::messageId)
                .containsExactly("c2");
        assertThat(conversation.business())
                .extracting(BusinessMessage::messageId)
                .containsExactly("b1");
        assertThat(conversation.addCustomerMessage(new CustomerMessage("c0", minutes(-1), clock)))
                .isEqualTo(Conversation.Applied.BEYOND_HORIZON);
        business("b2", Instant.parse("2026-11-23T10:00:05Z"), ResponderKind.AGENT);
        assertThat(single(settled(), ResponseTimeMeasurement.class).getResponseTimeMillis())
                .isEqualTo(5_000);
    }

    @Test
    void theHorizonKeepsAResponseThatStillWaitsForTheSettleDelay() {
        // A backlog: records two days apart arrive within one settle delay.
        customer("c1", seconds(0));
        business("b1", seconds(10), ResponderKind.AGENT);
        customer("c2", seconds(0).plus(Duration.ofHours(49)));

        assertThat(prune(1000).settled().measurements())
                .as("nothing emitted before its time")
                .isEmpty();
        assertThat(conversation.customers())
                .extracting(CustomerMessage::messageId)
                .containsExactly("c1", "c2");
        assertThat(single(settled(), ResponseTimeMeasurement.class).getResponseTimeMillis())
                .isEqualTo(10_000);

        prune(1000);
        assertThat(conversation.customers())
                .as("once emitted, what lies beyond the horizon goes")
                .extracting(CustomerMessage::messageId)
                .containsExactly("c2");
    }

    @Test
    void theHorizonKeepsTheCustomerMessagesAWaitingFirstResponseTakesItsHeadroomFrom() {
        customer("c1", minutes(0));
        opened(minutes(0), false);
        customer("c2", minutes(120));
        business("b1", minutes(180), ResponderKind.AGENT);
        customer("c3", minutes(180).plus(Duration.ofHours(49)));

        prune(1000);

        FirstResponseMeasurement first = single(settled(), FirstResponseMeasurement.class);
        assertThat(first.getWindowExpiresAt()).isEqualTo(minutes(120).plus(WINDOW));
        assertThat(first.getHeadroomMillis()).isEqualTo(Duration.ofHours(23).toMillis());
    }

    @Test
    void theEntryCapEmitsAtOnceTheResponseWhoseMessagesItDropsAndLetsTheRestWait() {
        customer("c1", seconds(0));
        business("b1", seconds(10), ResponderKind.AGENT);
        customer("c2", seconds(20));
        business("b2", seconds(30), ResponderKind.AGENT);
        customer("c3", seconds(40));

        TimelinePruning.Result pruned = prune(4);

        assertThat(all(pruned.settled().measurements(), ResponseTimeMeasurement.class))
                .extracting(
                        ResponseTimeMeasurement::getBusinessMessageId, ResponseTimeMeasurement::getResponseTimeMillis)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b1", 10_000L));
        assertThat(conversation.customers())
                .extracting(CustomerMessage::messageId)
                .containsExactly("c2", "c3");
        assertThat(all(settled(), ResponseTimeMeasurement.class))
                .as("the other response waited for the settle delay, and b1's is not emitted twice")
                .extracting(ResponseTimeMeasurement::getBusinessMessageId)
                .containsExactly("b2");
    }

    @Test
    void windowsBeyondTheCapHaveTheirMeasurementsEmittedBeforeTheyGo() {
        int windows = Conversation.MAX_WINDOWS + 1;
        for (int day = 0; day < windows; day++) {
            Instant openedAt = T.plus(Duration.ofDays(day));
            customer("c" + day, openedAt);
            opened(openedAt, day == 0);
            business("b" + day, openedAt.plusSeconds(60), ResponderKind.AGENT);
            closed(openedAt, openedAt.plus(WINDOW), true, null);
        }

        List<SpecificRecord> early = prune(1000).settled().measurements();

        assertThat(early)
                .as("the oldest window's measurements, and the response in it")
                .extracting(record -> record.getClass().getSimpleName())
                .containsExactly(
                        "WindowOpenedMeasurement",
                        "ResponseTimeMeasurement",
                        "FirstResponseMeasurement",
                        "WindowClosedMeasurement");
        assertThat(single(early, WindowOpenedMeasurement.class).getOccurredAt()).isEqualTo(T);
        assertThat(conversation.windows()).hasSize(Conversation.MAX_WINDOWS);
        assertThat(conversation.windowClosed(
                        T, T.plus(WINDOW), T, new Window.Closing(T.plus(WINDOW), CloseReason.EXPIRED, true, null, 0)))
                .as("its events are not applied again")
                .isEqualTo(Conversation.Applied.BEYOND_HORIZON);
        List<SpecificRecord> rest = settled();
        assertThat(all(rest, WindowOpenedMeasurement.class)).hasSize(windows - 1);
        assertThat(all(rest, FirstResponseMeasurement.class)).hasSize(windows - 1);
        assertThat(all(rest, WindowClosedMeasurement.class)).hasSize(windows - 1);
        assertThat(all(rest, ResponseTimeMeasurement.class)).hasSize(windows - 1);
    }

    @Test
    void theEntryCapCountsTheWaitingCustomerMessagesItDrops() {
        for (int i = 0; i < 5; i++) {
            customer("c" + i, seconds(i));
        }

        assertThat(prune(3).waitingDropped()).isEqualTo(2);
        assertThat(conversation.customers())
                .extracting(CustomerMessage::messageId)
                .containsExactly("c2", "c3", "c4");
    }

    private TimelinePruning.Result prune(int maxEntries) {
        return TimelinePruning.prune(
                conversation,
                clock,
                new MeasurementSettings(
                        Duration.ofMillis(DELAY),
                        Duration.ofHours(48),
                        maxEntries,
                        Duration.ofDays(8),
                        Duration.ofSeconds(1),
                        10_000,
                        0));
    }

    private void customer(String id, Instant at) {
        conversation.addCustomerMessage(new CustomerMessage(id, at, arrive()));
    }

    private void business(String id, Instant at, ResponderKind kind) {
        conversation.addBusinessMessage(new BusinessMessage(id, at, kind, arrive()));
    }

    private void opened(Instant at, boolean firstContact) {
        conversation.windowOpened(at, at.plus(WINDOW), opening(firstContact));
    }

    private Window.Opening opening(boolean firstContact) {
        return new Window.Opening("c1", firstContact, null, false, arrive());
    }

    private void closed(Instant openedAt, Instant closedAt, boolean replied, Instant waitingSince) {
        conversation.windowClosed(
                openedAt,
                openedAt.plus(WINDOW),
                openedAt,
                new Window.Closing(closedAt, CloseReason.EXPIRED, replied, waitingSince, arrive()));
    }

    /** A CLOSED event of a window that expired: its final expiry is {@code lastInboundAt} plus the window. */
    private void expired(Instant openedAt, Instant lastInboundAt, Instant reportedLastInboundAt) {
        Instant finalExpiry = lastInboundAt.plus(WINDOW);
        conversation.windowClosed(
                openedAt,
                finalExpiry,
                reportedLastInboundAt,
                new Window.Closing(finalExpiry, CloseReason.EXPIRED, true, null, arrive()));
    }

    private long arrive() {
        return clock += 10;
    }

    /** Settles once everything present has waited out the delay. */
    private List<SpecificRecord> settled() {
        clock += DELAY;
        return settle().measurements();
    }

    private ConversationSettler.Settlement settle() {
        return ConversationSettler.settle(conversation, clock, Duration.ofMillis(DELAY));
    }

    private static Instant seconds(long seconds) {
        return T.plusSeconds(seconds);
    }

    private static Instant minutes(long minutes) {
        return T.plus(Duration.ofMinutes(minutes));
    }

    private static <T> List<T> all(List<SpecificRecord> records, Class<T> type) {
        return records.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T> T single(List<SpecificRecord> records, Class<T> type) {
        List<T> matching = all(records, type);
        assertThat(matching).as("one %s in %s", type.getSimpleName(), records).hasSize(1);
        return matching.getFirst();
    }
}
