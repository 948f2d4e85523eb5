package io.janela.metrics.topology;

import static io.janela.testfixtures.MetaRecords.ANA;
import static io.janela.testfixtures.MetaRecords.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DeliveryStatus;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.FailureStage;
import io.janela.avro.MessageCategory;
import io.janela.avro.Origin;
import io.janela.avro.PricingType;
import io.janela.avro.ResponderKind;
import io.janela.avro.ResultKind;
import io.janela.metrics.streams.StreamsMeters;
import io.janela.metrics.testing.TopologyHarness;
import io.janela.testfixtures.MetaRecords;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessageTopologyTest {

    private static final Instant SENT = at(Duration.ofMinutes(5));

    private final TopologyHarness harness = new TopologyHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aTemplateGivesItsSendItsMetaPricingBesideThePredictionAndItsLatenciesOnceEach() {
        harness.pipe(
                MetaRecords.sentTemplate(ANA, "request-1", "wamid.t1", SENT).build());
        harness.pipe(status(DeliveryStatus.SENT, 0));
        harness.pipe(status(DeliveryStatus.DELIVERED, 3));
        harness.pipe(status(DeliveryStatus.DELIVERED, 3));
        harness.pipe(status(DeliveryStatus.READ, 63));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().messagesSent()))
                .singleElement()
                .satisfies(sent -> {
                    assertThat(sent.getCategory()).isEqualTo(MessageCategory.UTILITY);
                    assertThat(sent.getPricingType()).isEqualTo(PricingType.REGULAR);
                    assertThat(sent.getEstimatedCost()).isEqualByComparingTo(new BigDecimal("0.004"));
                    assertThat(sent.getResponderKind()).isEqualTo(ResponderKind.SYSTEM);
                    assertThat(sent.getOccurredAt()).isEqualTo(SENT);
                });
        assertThat(harness.read(harness.measurementTopics().messagesPriced()))
                .singleElement()
                .satisfies(priced -> {
                    assertThat(priced.getCategory()).isEqualTo(MessageCategory.MARKETING);
                    assertThat(priced.getPredictedCategory()).isEqualTo(MessageCategory.UTILITY);
                });
        assertThat(harness.read(harness.measurementTopics().deliveryLatencies()))
                .singleElement()
                .satisfies(delivery -> {
                    assertThat(delivery.getLatencyMillis()).isEqualTo(3_000);
                    assertThat(delivery.getSentByJanela()).isTrue();
                });
        assertThat(harness.read(harness.measurementTopics().readLatencies()))
                .singleElement()
                .satisfies(read -> assertThat(read.getLatencyMillis()).isEqualTo(60_000));
        assertThat(harness.counter(StreamsMeters.DUPLICATES, "input", "message_status"))
                .isEqualTo(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void readBeforeDeliveredGivesTheExactLatenciesAndReadWithoutDeliveredStandsInForItAfterTheDelay() {
        harness.pipe(status("wamid.a", DeliveryStatus.SENT, 0));
        harness.pipe(status("wamid.a", DeliveryStatus.READ, 10));
        harness.pipe(status("wamid.a", DeliveryStatus.DELIVERED, 4));
        harness.pipe(status("wamid.b", DeliveryStatus.SENT, 0));
        harness.pipe(status("wamid.b", DeliveryStatus.READ, 10));
        harness.advance(Duration.ofSeconds(5));
        assertThat(harness.read(harness.measurementTopics().deliveryLatencies()))
                .singleElement()
                .satisfies(exact -> {
                    assertThat(exact.getMessageId()).isEqualTo("wamid.a");
                    assertThat(exact.getLatencyMillis()).isEqualTo(4_000);
                });
        assertThat(harness.read(harness.measurementTopics().readLatencies()))
                .singleElement()
                .satisfies(exact -> assertThat(exact.getLatencyMillis()).isEqualTo(6_000));

        harness.settle();

        assertThat(harness.read(harness.measurementTopics().deliveryLatencies()))
                .singleElement()
                .satisfies(inferred -> {
                    assertThat(inferred.getMessageId()).isEqualTo("wamid.b");
                    assertThat(inferred.getDeliveredInferred()).isTrue();
                    assertThat(inferred.getLatencyMillis()).isEqualTo(10_000);
                });
        assertThat(harness.read(harness.measurementTopics().readLatencies()))
                .singleElement()
                .satisfies(inferred -> assertThat(inferred.getLatencyMillis()).isZero());
        assertThat(harness.read(harness.measurementTopics().messagesPriced())).hasSize(2);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aSendTheCloudApiRefusedIsOneFailureWithItsCodeEvenWhenTheResultRepeats() {
        var refused = MetaRecords.refused(ANA, "request-9", 131026, SENT).build();
        harness.pipe(refused);
        harness.pipe(refused);
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().failures()))
                .singleElement()
                .satisfies(failure -> {
                    assertThat(failure.getStage()).isEqualTo(FailureStage.SEND);
                    assertThat(failure.getErrorCode()).isEqualTo(131026);
                    assertThat(failure.getRequestId()).isEqualTo("request-9");
                    assertThat(failure.getResponderKind()).isEqualTo(ResponderKind.AGENT);
                });
        assertThat(harness.counter(StreamsMeters.DUPLICATES, "input", "dispatch_result"))
                .isEqualTo(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aFallbackTemplateSentAfterMetaClosedTheWindowIsASecondSendAndItsRefusalASecondFailure() {
        harness.pipe(MetaRecords.sentTemplate(ANA, "request-1", "wamid.f1", SENT)
                .setKind(ResultKind.FALLBACK_OUTCOME)
                .setFallbackUsed(true)
                .build());
        harness.pipe(MetaRecords.refused(ANA, "request-2", 131026, SENT).build());
        harness.pipe(MetaRecords.refused(ANA, "request-2", 132001, SENT)
                .setKind(ResultKind.FALLBACK_OUTCOME)
                .build());
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().messagesSent()))
                .singleElement()
                .satisfies(sent -> {
                    assertThat(sent.getMessageId()).isEqualTo("wamid.f1");
                    assertThat(sent.getFallbackUsed()).isTrue();
                    assertThat(sent.getMeasurementId()).endsWith(":request:request-1:fallback:sent");
                });
        assertThat(harness.read(harness.measurementTopics().failures()))
                .extracting(failure -> failure.getErrorCode())
                .containsExactly(131026, 132001);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void rejectedExpiredAndDeliveryFailedResultsMeasureNothingHere() {
        harness.pipe(MetaRecords.sent(ANA, "request-1", null, Origin.AGENT, SENT)
                .setOutcome(DispatchOutcome.REJECTED)
                .setReason(DispatchReason.WINDOW_CLOSED)
                .setSentAt(null)
                .build());
        harness.pipe(MetaRecords.sent(ANA, "request-2", "wamid.x", Origin.AGENT, SENT)
                .setKind(ResultKind.DELIVERY_FAILED)
                .setOutcome(DispatchOutcome.FAILED)
                .setMetaErrorCode(131047)
                .build());
        harness.settle();

        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aMessageSentOutsideJanelaAnswersTheCustomerAsOutsideJanelaAtItsSentStatusTime() {
        harness.pipe(MetaRecords.customerMessage("wamid.c1", SENT.minusSeconds(100)));
        harness.pipe(MetaRecords.status(ANA, "wamid.app-1", DeliveryStatus.SENT, SENT)
                .setBizOpaqueCallbackData(null)
                .build());
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().responseTimes()))
                .singleElement()
                .satisfies(response -> {
                    assertThat(response.getResponderKind()).isEqualTo(ResponderKind.OUTSIDE_JANELA);
                    assertThat(response.getResponseTimeMillis()).isEqualTo(100_000);
                });
        assertThat(harness.read(harness.measurementTopics().messagesPriced()))
                .singleElement()
                .satisfies(priced -> assertThat(priced.getSentByJanela()).isFalse());
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void janelasMessageCountsOnceWhetherItsDispatchResultOrItsSentStatusComesFirst() {
        harness.pipe(MetaRecords.customerMessage("wamid.c1", SENT.minusSeconds(20)));
        harness.pipe(status(DeliveryStatus.SENT, 1));
        harness.pipe(
                MetaRecords.sent(ANA, "request-1", "wamid.t1", Origin.BOT, SENT).build());
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().responseTimes()))
                .singleElement()
                .satisfies(response -> {
                    assertThat(response.getResponderKind()).isEqualTo(ResponderKind.BOT);
                    assertThat(response.getResponseTimeMillis()).isEqualTo(20_000);
                });
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(1);
        assertThat(harness.read(harness.measurementTopics().messagesPriced())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    private static io.janela.avro.MessageStatus status(DeliveryStatus status, long secondsAfterSend) {
        return status("wamid.t1", status, secondsAfterSend);
    }

    private static io.janela.avro.MessageStatus status(String wamid, DeliveryStatus status, long secondsAfterSend) {
        return MetaRecords.status(ANA, wamid, status, SENT.plusSeconds(secondsAfterSend))
                .build();
    }
}
