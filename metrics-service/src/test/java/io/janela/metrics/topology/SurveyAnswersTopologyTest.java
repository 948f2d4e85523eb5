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
import io.janela.metrics.testing.TopologyHarness;
import io.janela.testfixtures.MetaRecords;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A free-text answer to a satisfaction survey ("5", recognised by survey-service, which publishes ANSWERED with the
 * answering message's wamid on whatsapp.survey-events) is a customer message for the window but waits for no answer:
 * no response time runs from it, and nobody is left waiting when the window closes.
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

    private static InboundMessage freeText(String messageId, Instant at, String text) {
        InboundMessage message = customerMessage(messageId, at);
        message.setText(text);
        return message;
    }
}
