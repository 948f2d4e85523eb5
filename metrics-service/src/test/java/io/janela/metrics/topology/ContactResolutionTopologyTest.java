package io.janela.metrics.topology;

import static io.janela.testfixtures.MetaRecords.BEN;
import static io.janela.testfixtures.MetaRecords.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DeliveryStatus;
import io.janela.avro.FailureStage;
import io.janela.avro.MessageCategory;
import io.janela.avro.Origin;
import io.janela.avro.ResponderKind;
import io.janela.metrics.testing.TopologyHarness;
import io.janela.testfixtures.MetaRecords;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContactResolutionTopologyTest {

    private final TopologyHarness harness = new TopologyHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aFailedStatusKeyedByPhoneNumberMeetsItsMessageThroughTheContactAlias() {
        Instant sentAt = at(Duration.ofMinutes(30));
        harness.pipe(MetaRecords.alias(BEN));
        harness.pipe(
                MetaRecords.sentTemplate(BEN, "request-1", "wamid.t1", sentAt).build());
        harness.pipe(
                MetaRecords.status(BEN, "wamid.t1", DeliveryStatus.SENT, sentAt).build());
        var failed = MetaRecords.status(BEN, "wamid.t1", DeliveryStatus.FAILED, sentAt.plusSeconds(60))
                .build();
        assertThat(MetaRecords.keyOf(failed)).isEqualTo(BEN.phoneKey());
        harness.pipe(failed);
        harness.settle();

        assertThat(harness.readRecords(harness.measurementTopics().failures()))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.key()).isEqualTo(BEN.key());
                    assertThat(record.value().getErrorCode()).isEqualTo(131049);
                    assertThat(record.value().getStage()).isEqualTo(FailureStage.DELIVERY);
                    assertThat(record.value().getCategory()).isEqualTo(MessageCategory.MARKETING);
                    assertThat(record.value().getResponderKind()).isEqualTo(ResponderKind.SYSTEM);
                });
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(1);
        assertThat(harness.read(harness.measurementTopics().messagesPriced())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void withoutAnAliasTheFailedStatusStaysWithThePhoneNumberAndIsStillAFailure() {
        Instant failedAt = at(Duration.ofMinutes(31));
        harness.pipe(MetaRecords.status(BEN, "wamid.t2", DeliveryStatus.FAILED, failedAt)
                .build());
        harness.settle();

        assertThat(harness.readRecords(harness.measurementTopics().failures()))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.key()).isEqualTo(BEN.phoneKey());
                    assertThat(record.value().getErrorCode()).isEqualTo(131049);
                    assertThat(record.value().getCategory()).isEqualTo(MessageCategory.UNKNOWN);
                });
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aDispatchResultKeyedByPhoneNumberAnswersTheContactItsAliasNames() {
        harness.pipe(MetaRecords.alias(BEN));
        harness.pipe(MetaRecords.customerMessage(BEN, "wamid.c1", at(Duration.ZERO)));
        var unresolved = MetaRecords.sent(BEN, "request-1", "wamid.b1", Origin.AGENT, at(Duration.ofSeconds(50)))
                .setContactId(null)
                .build();
        harness.pipe(unresolved, BEN.phoneKey());
        harness.settle();

        assertThat(harness.readRecords(harness.measurementTopics().responseTimes()))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.key()).isEqualTo(BEN.key());
                    assertThat(record.value().getResponseTimeMillis()).isEqualTo(50_000);
                });
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }
}
