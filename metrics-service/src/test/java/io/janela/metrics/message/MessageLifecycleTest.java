package io.janela.metrics.message;

import static io.janela.testfixtures.MetaRecords.ANA;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DeliveryLatencyMeasurement;
import io.janela.avro.DeliveryStatus;
import io.janela.avro.FailureStage;
import io.janela.avro.MessageCategory;
import io.janela.avro.MessageFailureMeasurement;
import io.janela.avro.MessagePricingMeasurement;
import io.janela.avro.MessageStatus;
import io.janela.avro.Origin;
import io.janela.avro.PricingType;
import io.janela.avro.ReadLatencyMeasurement;
import io.janela.avro.ResponderKind;
import io.janela.metrics.conversation.BusinessMessage;
import io.janela.metrics.streams.LateMeasurement;
import io.janela.testfixtures.MetaRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** One message's statuses on hand-built timelines, from the status webhook items in {@code resources/meta}. */
class MessageLifecycleTest {

    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
    private static final String WAMID = "wamid.b1";
    private static final Duration DELAY = Duration.ofSeconds(30);

    private final MessageLifecycle message = MessageLifecycle.start(MetaRecords.PHONE_NUMBER_ID, ANA.userId(), WAMID);
    private final List<BusinessMessage> forwarded = new ArrayList<>();
    private long clock = 1_000_000;

    @Test
    void deliveryAndReadLatencyComeFromMetasTimestamps() {
        status(DeliveryStatus.SENT, 0);
        status(DeliveryStatus.DELIVERED, 2);
        status(DeliveryStatus.READ, 62);

        List<SpecificRecord> emitted = settled();
        DeliveryLatencyMeasurement delivery = single(emitted, DeliveryLatencyMeasurement.class);
        assertThat(delivery.getLatencyMillis()).isEqualTo(2_000);
        assertThat(delivery.getDeliveredInferred()).isFalse();
        assertThat(delivery.getCategory()).isEqualTo(MessageCategory.MARKETING);
        ReadLatencyMeasurement read = single(emitted, ReadLatencyMeasurement.class);
        assertThat(read.getLatencyMillis()).isEqualTo(60_000);
        assertThat(read.getMeasurementId()).isEqualTo(MetaRecords.PHONE_NUMBER_ID + ":" + WAMID + ":read");
    }

    @Test
    void statusesArrivingOutOfOrderGiveTheSameLatencies() {
        status(DeliveryStatus.READ, 62);
        status(DeliveryStatus.DELIVERED, 2);
        status(DeliveryStatus.SENT, 0);

        List<SpecificRecord> emitted = settled();
        assertThat(single(emitted, DeliveryLatencyMeasurement.class).getLatencyMillis())
                .isEqualTo(2_000);
        assertThat(single(emitted, ReadLatencyMeasurement.class).getLatencyMillis())
                .isEqualTo(60_000);
    }

    @Test
    void aDuplicatedStatusIsIgnored() {
        assertThat(status(DeliveryStatus.DELIVERED, 2)).isEqualTo(MessageLifecycle.Applied.ADDED);
        assertThat(status(DeliveryStatus.DELIVERED, 2)).isEqualTo(MessageLifecycle.Applied.DUPLICATE);
        assertThat(status(DeliveryStatus.PLAYED, 3)).isEqualTo(MessageLifecycle.Applied.IGNORED);
    }

    @Test
    void whenMetaSkipsDeliveredTheReadStandsInForItOnceTheSettleDelayPassed() {
        status(DeliveryStatus.SENT, 0);
        status(DeliveryStatus.READ, 5);
        assertThat(settleNow().measurements()).noneMatch(DeliveryLatencyMeasurement.class::isInstance);

        List<SpecificRecord> emitted = settled();

        DeliveryLatencyMeasurement delivery = single(emitted, DeliveryLatencyMeasurement.class);
        assertThat(delivery.getDeliveredInferred()).isTrue();
        assertThat(delivery.getLatencyMillis()).isEqualTo(5_000);
        ReadLatencyMeasurement read = single(emitted, ReadLatencyMeasurement.class);
        assertThat(read.getDeliveredInferred()).isTrue();
        assertThat(read.getLatencyMillis()).isZero();
    }

    @Test
    void aReadAloneIsNoReadLatencyUntilItsSentStatusSaysMetaSkippedDelivered() {
        status(DeliveryStatus.READ, 5);
        assertThat(settled()).noneMatch(ReadLatencyMeasurement.class::isInstance);

        status(DeliveryStatus.SENT, 0);
        List<SpecificRecord> emitted = settled();

        assertThat(single(emitted, ReadLatencyMeasurement.class).getDeliveredInferred())
                .isTrue();
        assertThat(single(emitted, DeliveryLatencyMeasurement.class).getLatencyMillis())
                .isEqualTo(5_000);
    }

    @Test
    void aDeliveredThatComesAfterAnInferredDeliveryIsCountedLateAndChangesNothing() {
        status(DeliveryStatus.SENT, 0);
        status(DeliveryStatus.READ, 5);
        settled();

        status(DeliveryStatus.DELIVERED, 3);
        MessageLifecycle.Settlement later = settleNow();

        assertThat(later.measurements()).isEmpty();
        assertThat(later.late())
                .containsEntry(LateMeasurement.DELIVERY_LATENCY, 1)
                .containsEntry(LateMeasurement.READ_LATENCY, 1);
    }

    @Test
    void aFailedStatusOfAMessageNeverDeliveredIsAFailureWithMetasErrorCode() {
        message.applySent(MetaRecords.sentTemplate(ANA, "request-1", WAMID, T).build(), arrive());
        status(DeliveryStatus.SENT, 0);
        status(DeliveryStatus.FAILED, 60);

        MessageFailureMeasurement failure = single(settled(), MessageFailureMeasurement.class);
        assertThat(failure.getErrorCode()).isEqualTo(131049);
        assertThat(failure.getStage()).isEqualTo(FailureStage.DELIVERY);
        assertThat(failure.getCategory()).isEqualTo(MessageCategory.MARKETING);
        assertThat(failure.getResponderKind()).isEqualTo(ResponderKind.SYSTEM);
        assertThat(failure.getRequestId()).isEqualTo("request-1");
    }

    @Test
    void aMessageDeliveredToAnotherDeviceIsNoFailure() {
        status(DeliveryStatus.SENT, 0);
        status(DeliveryStatus.FAILED, 4);
        status(DeliveryStatus.DELIVERED, 5);

        assertThat(settled()).noneMatch(MessageFailureMeasurement.class::isInstance);
    }

    @Test
    void metasPricingIsReportedBesideDispatchsPrediction() {
        message.applySent(MetaRecords.sentTemplate(ANA, "request-1", WAMID, T).build(), arrive());
        status(DeliveryStatus.SENT, 0);

        MessagePricingMeasurement priced = single(settleNow().measurements(), MessagePricingMeasurement.class);
        assertThat(priced.getCategory()).isEqualTo(MessageCategory.MARKETING);
        assertThat(priced.getPricingType()).isEqualTo(PricingType.REGULAR);
        assertThat(priced.getPredictedCategory()).isEqualTo(MessageCategory.UTILITY);
        assertThat(priced.getPredictedPricingType()).isEqualTo(PricingType.REGULAR);
        assertThat(priced.getSentByJanela()).isTrue();
    }

    @Test
    void pricingWaitsForTheDispatchResultThatItsRequestIdAnnounces() {
        status(DeliveryStatus.SENT, 0);
        assertThat(settleNow().measurements()).noneMatch(MessagePricingMeasurement.class::isInstance);

        message.applySent(MetaRecords.sentTemplate(ANA, "request-1", WAMID, T).build(), arrive());

        assertThat(single(settleNow().measurements(), MessagePricingMeasurement.class)
                        .getPredictedCategory())
                .isEqualTo(MessageCategory.UTILITY);
    }

    @Test
    void aMessageSentOutsideJanelaIsPricedWithoutPredictionAndAnswersAsOutsideJanela() {
        MessageStatus sent = MetaRecords.status(ANA, WAMID, DeliveryStatus.SENT, T)
                .setBizOpaqueCallbackData(null)
                .build();
        message.applyStatus(sent, arrive());

        MessageLifecycle.Settlement settlement = settleNow();

        assertThat(single(settlement.measurements(), MessagePricingMeasurement.class)
                        .getPredictedCategory())
                .isNull();
        assertThat(settlement.businessMessage())
                .isEqualTo(new BusinessMessage(WAMID, T, ResponderKind.OUTSIDE_JANELA, clock));
    }

    @Test
    void aMessageItsDispatchResultNamedIsHandedToTheConversationByTheResultNotByThisStep() {
        Instant sentAt = T.plusMillis(250);
        message.applySent(
                MetaRecords.sent(ANA, "request-1", WAMID, Origin.BOT, sentAt).build(), arrive());
        assertThat(settleNow().businessMessage()).isNull();

        status(DeliveryStatus.SENT, 1);
        settled();
        assertThat(forwarded).isEmpty();
    }

    @Test
    void janelasMessageWhoseDispatchResultNeverCameAnswersWithAnUnknownResponderAfterTheSettleDelay() {
        status(DeliveryStatus.SENT, 0);
        assertThat(settleNow().businessMessage()).isNull();

        clock += DELAY.toMillis();
        assertThat(settleNow().businessMessage())
                .isEqualTo(new BusinessMessage(WAMID, T, ResponderKind.UNKNOWN, clock));
    }

    private MessageLifecycle.Applied status(DeliveryStatus status, long secondsAfterT) {
        return message.applyStatus(
                MetaRecords.status(ANA, WAMID, status, T.plusSeconds(secondsAfterT))
                        .build(),
                arrive());
    }

    private long arrive() {
        return clock += 10;
    }

    private List<SpecificRecord> settled() {
        clock += DELAY.toMillis();
        return settleNow().measurements();
    }

    private MessageLifecycle.Settlement settleNow() {
        MessageLifecycle.Settlement settlement = message.settle(clock, DELAY);
        if (settlement.businessMessage() != null) {
            forwarded.add(settlement.businessMessage());
        }
        return settlement;
    }

    private static <T> T single(List<SpecificRecord> records, Class<T> type) {
        List<T> matching =
                records.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(matching).as("one %s in %s", type.getSimpleName(), records).hasSize(1);
        return matching.getFirst();
    }
}
