package io.janela.metrics.topology;

import static io.janela.testfixtures.MetaRecords.ANA;
import static io.janela.testfixtures.MetaRecords.at;
import static io.janela.testfixtures.MetaRecords.closed;
import static io.janela.testfixtures.MetaRecords.customerMessage;
import static io.janela.testfixtures.MetaRecords.echo;
import static io.janela.testfixtures.MetaRecords.opened;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.janela.avro.DeliveryStatus;
import io.janela.avro.FirstResponseMeasurement;
import io.janela.avro.ResponderKind;
import io.janela.avro.ResponseTimeMeasurement;
import io.janela.avro.SlaEvent;
import io.janela.avro.SlaEventKind;
import io.janela.metrics.testing.TopologyHarness;
import io.janela.testfixtures.MetaRecords;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replies sent from the WhatsApp Business app on a coexistence number (whatsapp.message-echoes, records shaped as
 * ingress writes them from Meta's {@code smb_message_echoes} items): a person answering, responder kind APP.
 */
class AppRepliesTopologyTest {

    private static final Instant OPENED_AT = at(Duration.ZERO);

    private final TopologyHarness harness = new TopologyHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void anAppReplyAnswersTheWaitingCustomerAsAppAndTheWindowClosesReplied() {
        harness.pipe(customerMessage("wamid.c1", OPENED_AT));
        harness.pipe(opened(OPENED_AT, "wamid.c1", true));
        harness.pipe(echo("echo-text.json", ANA, "wamid.app-1", at(Duration.ofSeconds(90)), false));
        harness.settle();

        assertThat(harness.readRecords(harness.measurementTopics().responseTimes()))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.key()).isEqualTo(ANA.key());
                    ResponseTimeMeasurement response = record.value();
                    assertThat(response.getResponderKind()).isEqualTo(ResponderKind.APP);
                    assertThat(response.getResponseTimeMillis()).isEqualTo(90_000);
                    assertThat(response.getCustomerMessageId()).isEqualTo("wamid.c1");
                    assertThat(response.getBusinessMessageId()).isEqualTo("wamid.app-1");
                    assertThat(response.getTeam()).isNull();
                });
        assertThat(harness.read(harness.measurementTopics().firstResponses()))
                .singleElement()
                .satisfies(first -> {
                    assertThat(first.getResponderKind()).isEqualTo(ResponderKind.APP);
                    assertThat(first.getFirstResponseTimeMillis()).isEqualTo(90_000);
                });
        assertThat(harness.read(harness.measurementTopics().windowsOpened())).hasSize(1);

        harness.pipe(closed(OPENED_AT, OPENED_AT.plus(MetaRecords.WINDOW), true));
        harness.settle();
        assertThat(harness.read(harness.measurementTopics().windowsClosed()))
                .singleElement()
                .satisfies(closed -> {
                    assertThat(closed.getBusinessReplied()).isTrue();
                    assertThat(closed.getCustomerWaitingSince()).isNull();
                });
        // Not a message Janela sent: nothing is counted as sent or costed.
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aReactionFromTheAppAnswersNothingSoTheCustomerStillWaitsWhenTheWindowCloses() {
        harness.pipe(customerMessage("wamid.c1", OPENED_AT));
        harness.pipe(opened(OPENED_AT, "wamid.c1", true));
        harness.pipe(echo("echo-reaction.json", ANA, "wamid.app-r", at(Duration.ofSeconds(20)), false));
        harness.pipe(closed(OPENED_AT, OPENED_AT.plus(MetaRecords.WINDOW), false));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().responseTimes())).isEmpty();
        assertThat(harness.read(harness.measurementTopics().firstResponses())).isEmpty();
        assertThat(harness.read(harness.measurementTopics().windowsClosed()))
                .singleElement()
                .satisfies(closed -> {
                    assertThat(closed.getBusinessReplied()).isFalse();
                    assertThat(closed.getCustomerWaitingSince()).isEqualTo(OPENED_AT);
                });
        assertThat(harness.read(harness.measurementTopics().windowsOpened())).hasSize(1);
        assertThat(harness.read(harness.topics().slaEvents()))
                .extracting(SlaEvent::getKind)
                .containsExactly(SlaEventKind.WINDOW_CLOSING_WAITING);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void anEchoThatNamesTheCustomerByPhoneNumberOnlyFindsTheContactThroughItsAlias() {
        harness.pipe(MetaRecords.alias(ANA));
        harness.pipe(customerMessage("wamid.c1", OPENED_AT));
        harness.pipe(echo("echo-text.json", ANA, "wamid.app-1", at(Duration.ofSeconds(30)), true));
        harness.settle();

        assertThat(harness.readRecords(harness.measurementTopics().responseTimes()))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.key()).isEqualTo(ANA.key());
                    assertThat(record.value().getResponderKind()).isEqualTo(ResponderKind.APP);
                    assertThat(record.value().getResponseTimeMillis()).isEqualTo(30_000);
                });
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aRepeatedEchoCountsOnceAndEachAppReplyAnswersOnlyWhatCameBeforeIt() {
        harness.pipe(customerMessage("wamid.c1", OPENED_AT));
        harness.pipe(echo("echo-text.json", ANA, "wamid.app-1", at(Duration.ofSeconds(10)), false));
        harness.pipe(echo("echo-text.json", ANA, "wamid.app-1", at(Duration.ofSeconds(10)), false));
        harness.pipe(customerMessage("wamid.c2", at(Duration.ofMinutes(5))));
        harness.pipe(echo("echo-text.json", ANA, "wamid.app-2", at(Duration.ofMinutes(7)), false));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().responseTimes()))
                .extracting(
                        ResponseTimeMeasurement::getBusinessMessageId,
                        ResponseTimeMeasurement::getCustomerMessageId,
                        ResponseTimeMeasurement::getResponseTimeMillis,
                        ResponseTimeMeasurement::getResponderKind)
                .containsExactly(
                        tuple("wamid.app-1", "wamid.c1", 10_000L, ResponderKind.APP),
                        tuple("wamid.app-2", "wamid.c2", 120_000L, ResponderKind.APP));
        assertThat(harness.counter("janela.inputs.duplicates", "input", "business_message"))
                .isEqualTo(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aMessageSeenFirstByItsSentStatusAndThenAsAnEchoWasSentFromTheAppWhicheverCameFirst() {
        harness.pipe(customerMessage("wamid.c1", OPENED_AT));
        harness.pipe(opened(OPENED_AT, "wamid.c1", true));
        // Meta's status for a message no Janela request sent: outside Janela, until the echo says it was the app.
        harness.pipe(MetaRecords.status(ANA, "wamid.app-1", DeliveryStatus.SENT, at(Duration.ofSeconds(40)))
                .setBizOpaqueCallbackData(null)
                .build());
        harness.pipe(echo("echo-text.json", ANA, "wamid.app-1", at(Duration.ofSeconds(40)), false));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().responseTimes()))
                .extracting(ResponseTimeMeasurement::getResponderKind)
                .containsExactly(ResponderKind.APP);
        assertThat(harness.read(harness.measurementTopics().firstResponses()))
                .extracting(FirstResponseMeasurement::getResponderKind)
                .containsExactly(ResponderKind.APP);
        assertThat(harness.read(harness.measurementTopics().windowsOpened())).hasSize(1);
        assertThat(harness.read(harness.measurementTopics().messagesPriced())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }
}
