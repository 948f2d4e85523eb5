package io.janela.metrics.topology;

import static io.janela.testfixtures.MetaRecords.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.contract.DeadLetterHeaders;
import io.janela.metrics.testing.TopologyHarness;
import io.janela.testfixtures.MetaRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadLetterTopologyTest {

    private final TopologyHarness harness = new TopologyHarness(TopologyHarness.SETTLE, StreamsConfig.AT_LEAST_ONCE);

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void anInputThatIsNotAvroGoesToTheDeadLetterTopicAsReceivedAndProcessingGoesOn() {
        byte[] garbage = "{\"status\":\"sent\"}".getBytes(StandardCharsets.UTF_8);
        harness.rawStatuses.pipeInput("poison".getBytes(StandardCharsets.UTF_8), garbage);
        harness.pipe(
                MetaRecords.status(MetaRecords.ANA, "wamid.b1", io.janela.avro.DeliveryStatus.PLAYED, at(Duration.ZERO))
                        .build());
        harness.pipe(MetaRecords.customerMessage("wamid.c1", at(Duration.ZERO)));
        harness.pipe(MetaRecords.opened(at(Duration.ZERO), "wamid.c1", true));
        harness.settle();

        assertThat(harness.deadLetters()).singleElement().satisfies(record -> {
            assertThat(record.value()).isEqualTo(garbage);
            assertThat(new String(record.headers()
                            .lastHeader(DeadLetterHeaders.REASON)
                            .value()))
                    .isEqualTo("UNDECODABLE");
        });
        assertThat(harness.read(harness.measurementTopics().windowsOpened())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aRecordWhoseKeyIsNoContactKeyGoesToTheDeadLetterTopicWithTheCause() {
        var message = MetaRecords.customerMessage("wamid.c1", at(Duration.ZERO));
        harness.inbound.pipeInput("no-separator", message, message.getTimestamp());
        harness.settle();

        assertThat(harness.deadLetters()).singleElement().satisfies(record -> {
            assertThat(new String(record.headers()
                            .lastHeader(DeadLetterHeaders.REASON)
                            .value()))
                    .isEqualTo("PROCESSING_FAILED");
            assertThat(new String(
                            record.headers().lastHeader(DeadLetterHeaders.CAUSE).value()))
                    .contains("a contact key is {phoneNumberId}:{contactId}");
        });
        assertThat(harness.unreadMeasurements()).isEmpty();
    }
}
