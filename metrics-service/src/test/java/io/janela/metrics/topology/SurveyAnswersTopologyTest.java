package io.janela.metrics.topology;

import static io.janela.testfixtures.MetaRecords.ANA;
import static io.janela.testfixtures.MetaRecords.at;
import static io.janela.testfixtures.MetaRecords.closed;
import static io.janela.testfixtures.MetaRecords.customerMessage;
import static io.janela.testfixtures.MetaRecords.opened;
import static io.janela.testfixtures.MetaRecords.sent;
import static io.janela.testfixtures.MetaRecords.surveyAnswered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.janela.avro.InboundMessage;
import io.janela.avro.Origin;
import io.janela.avro.ResponseTimeMeasurement;
import io.janela.avro.WindowClosedMeasurement;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowOpenedMeasurement;
import io.janela.metrics.state.SummaryBucket;
import io.janela.metrics.summary.SummaryStream;
import io.janela.metrics.testing.TopologyHarness;
import io.janela.testfixtures.MetaRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A free-text answer to a satisfaction survey ("5", recognised by survey-service, which publishes ANSWERED with the
 * answering message's wamid on whatsapp.survey-events) is a customer message for the window but waits for no answer:
 * no response time runs from it, and nobody is left waiting when the window closes. A window such an answer opens (a
 * template survey answered after the conversation's window closed) is no conversation: not a returning contact's
 * window, no first response from it, and out of the response rate unless the customer then asks something.
 */
class SurveyAnswersTopologyTest {

    private static final Instant OPENED_AT = at(Duration.ZERO);

    private final TopologyHarness harness = new TopologyHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aFreeTextAnswerStartsNoResponseClockAndLeavesNobodyWaitingWhenTheWindowCloses() {
        harness.pipe(customerMessage("wamid.c1", OPENED_AT));
        harness.pipe(opened(OPENED_AT, "wamid.c1", true));
        harness.pipe(sent("request-1", "wamid.b1", Origin.AGENT, at(Duration.ofSeconds(30)))
                .build());
        // The survey went out; the customer answers "5" in free text, which survey-service recognises.
        Instant answeredAt = at(Duration.ofMinutes(20));
        harness.pipe(freeText("wamid.answer", answeredAt, "5"));
        harness.pipe(surveyAnswered(ANA, "survey-1", "wamid.answer", answeredAt, 5, "support"));
        harness.pipe(closed(OPENED_AT, answeredAt.plus(MetaRecords.WINDOW), true));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().responseTimes()))
                .extracting(ResponseTimeMeasurement::getCustomerMessageId)
                .containsExactly("wamid.c1");
        assertThat(harness.read(harness.measurementTopics().windowsClosed()))
                .singleElement()
                .satisfies(closed -> {
                    assertThat(closed.getBusinessReplied()).isTrue();
                    assertThat(closed.getCustomerWaitingSince()).isNull();
                });
        assertThat(harness.read(harness.topics().slaEvents())).isEmpty();
        assertThat(harness.read(harness.measurementTopics().windowsOpened())).hasSize(1);
        assertThat(harness.read(harness.measurementTopics().firstResponses())).hasSize(1);
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void anAnswerKnownBeforeItsMessageArrivesStillWaitsForNothingAndALaterQuestionDoes() {
        Instant answeredAt = at(Duration.ofMinutes(1));
        harness.pipe(surveyAnswered(ANA, "survey-1", "wamid.answer", answeredAt, 4, null));
        harness.pipe(freeText("wamid.answer", answeredAt, "4 thanks"));
        harness.pipe(customerMessage("wamid.question", at(Duration.ofMinutes(3))));
        harness.pipe(sent("request-1", "wamid.b1", Origin.BOT, at(Duration.ofMinutes(4)))
                .build());
        harness.settle();

        // The response runs from the question, not from the answer two minutes before it.
        assertThat(harness.read(harness.measurementTopics().responseTimes()))
                .extracting(
                        ResponseTimeMeasurement::getCustomerMessageId, ResponseTimeMeasurement::getResponseTimeMillis)
                .containsExactly(tuple("wamid.question", 60_000L));
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void withoutTheAnsweredEventTheSameTextIsACustomerMessageThatWaits() {
        Instant answeredAt = at(Duration.ofMinutes(1));
        harness.pipe(freeText("wamid.text", answeredAt, "5"));
        harness.pipe(sent("request-1", "wamid.b1", Origin.BOT, at(Duration.ofMinutes(2)))
                .build());
        harness.pipe(surveyAnswered(ANA, "survey-1", "wamid.other", answeredAt, 5, null));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().responseTimes()))
                .extracting(ResponseTimeMeasurement::getCustomerMessageId)
                .containsExactly("wamid.text");
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    /** The survey went as a template after the window closed; the customer's tap opens a new one. */
    private static final Instant TAPPED_AT = at(Duration.ofHours(31));

    @Test
    void aWindowOpenedByATapOnASurveyIsNoReturningContactsWindow() {
        harness.pipe(MetaRecords.surveyTap(ANA, "wamid.tap", TAPPED_AT, "survey-1", 5));
        harness.pipe(opened(TAPPED_AT, "wamid.tap", false));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().windowsOpened()))
                .singleElement()
                .satisfies(opened -> {
                    assertThat(opened.getOpenedBySurveyAnswer()).isTrue();
                    assertThat(opened.getFirstContact()).isFalse();
                });
        assertThat(summary(TAPPED_AT, SummaryBucket::getWindowsOpened)).isZero();
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aWindowOnlyASurveyTapOpenedStaysOutOfTheResponseRateAndLeavesNobodyWaiting() {
        harness.pipe(MetaRecords.surveyTap(ANA, "wamid.tap", TAPPED_AT, "survey-1", 2));
        harness.pipe(opened(TAPPED_AT, "wamid.tap", false));
        Instant closedAt = TAPPED_AT.plus(MetaRecords.WINDOW);
        harness.pipe(closedWaiting(TAPPED_AT, closedAt, TAPPED_AT));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().windowsClosed()))
                .singleElement()
                .satisfies(closed -> {
                    assertThat(closed.getSurveyAnswerOnly()).isTrue();
                    assertThat(closed.getBusinessReplied()).isFalse();
                    assertThat(closed.getCustomerWaitingSince()).isNull();
                });
        assertThat(summary(closedAt, SummaryBucket::getWindowsClosed)).isZero();
        assertThat(harness.read(harness.measurementTopics().windowsOpened())).hasSize(1);
        assertThat(harness.read(harness.topics().slaEvents())).isEmpty();
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aWindowAFreeTextAnswerOpenedIsNoConversationWhicheverOfItsEventsComesFirst() {
        // survey-service's ANSWERED after the window's OPENED event, both within the settle delay.
        harness.pipe(opened(TAPPED_AT, "wamid.answer", false));
        harness.pipe(freeText("wamid.answer", TAPPED_AT, "4"));
        harness.pipe(surveyAnswered(ANA, "survey-1", "wamid.answer", TAPPED_AT, 4, null));
        harness.pipe(closedWaiting(TAPPED_AT, TAPPED_AT.plus(MetaRecords.WINDOW), TAPPED_AT));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().windowsOpened()))
                .extracting(WindowOpenedMeasurement::getOpenedBySurveyAnswer)
                .containsExactly(true);
        assertThat(harness.read(harness.measurementTopics().windowsClosed()))
                .extracting(
                        WindowClosedMeasurement::getSurveyAnswerOnly, WindowClosedMeasurement::getCustomerWaitingSince)
                .containsExactly(tuple(true, null));
        assertThat(harness.read(harness.measurementTopics().responseTimes())).isEmpty();
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aBusinessMessageInAWindowASurveyAnswerOpenedIsNoFirstResponse() {
        harness.pipe(MetaRecords.surveyTap(ANA, "wamid.tap", TAPPED_AT, "survey-1", 5));
        harness.pipe(opened(TAPPED_AT, "wamid.tap", false));
        harness.pipe(sent("request-thanks", "wamid.thanks", Origin.BOT, TAPPED_AT.plusSeconds(5))
                .build());
        harness.pipe(closed(TAPPED_AT, TAPPED_AT.plus(MetaRecords.WINDOW), true));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().firstResponses())).isEmpty();
        assertThat(harness.read(harness.measurementTopics().responseTimes())).isEmpty();
        assertThat(harness.read(harness.measurementTopics().windowsClosed()))
                .extracting(WindowClosedMeasurement::getSurveyAnswerOnly)
                .containsExactly(true);
        assertThat(harness.read(harness.measurementTopics().windowsOpened())).hasSize(1);
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aQuestionAfterTheAnswerPutsTheWindowInTheResponseRate() {
        harness.pipe(MetaRecords.surveyTap(ANA, "wamid.tap", TAPPED_AT, "survey-1", 2));
        harness.pipe(opened(TAPPED_AT, "wamid.tap", false));
        Instant askedAt = TAPPED_AT.plus(Duration.ofMinutes(3));
        harness.pipe(customerMessage("wamid.question", askedAt));
        Instant closedAt = askedAt.plus(MetaRecords.WINDOW);
        harness.pipe(closedWaiting(TAPPED_AT, closedAt, TAPPED_AT));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().windowsClosed()))
                .singleElement()
                .satisfies(closed -> {
                    assertThat(closed.getSurveyAnswerOnly()).isFalse();
                    assertThat(closed.getBusinessReplied()).isFalse();
                    assertThat(closed.getCustomerWaitingSince()).isEqualTo(askedAt);
                });
        assertThat(summary(closedAt, SummaryBucket::getWindowsClosed)).isEqualTo(1);
        // Still opened by the answer: the window is no returning contact's.
        assertThat(harness.read(harness.measurementTopics().windowsOpened()))
                .extracting(WindowOpenedMeasurement::getOpenedBySurveyAnswer)
                .containsExactly(true);
        assertThat(summary(TAPPED_AT, SummaryBucket::getWindowsOpened)).isZero();
    }

    /** The window-service's CLOSED event: it counts the answer as a message waiting since {@code waitingSince}. */
    private static WindowEvent closedWaiting(Instant openedAt, Instant closedAt, Instant waitingSince) {
        WindowEvent closed = closed(openedAt, closedAt, false);
        closed.setWaitingSince(waitingSince);
        return closed;
    }

    /** A figure of the phone number's summary bucket (5 minutes in the harness) holding {@code at}; 0 without one. */
    private long summary(Instant at, ToLongFunction<SummaryBucket> figure) {
        long bucketStart =
                at.toEpochMilli() - at.toEpochMilli() % Duration.ofMinutes(5).toMillis();
        SummaryBucket bucket = harness.driver()
                .<String, SummaryBucket>getWindowStore(SummaryStream.STORE)
                .fetch(MetaRecords.PHONE_NUMBER_ID, bucketStart);
        return bucket == null ? 0 : figure.applyAsLong(bucket);
    }

    private static InboundMessage freeText(String messageId, Instant at, String text) {
        InboundMessage message = customerMessage(messageId, at);
        message.setText(text);
        return message;
    }
}
