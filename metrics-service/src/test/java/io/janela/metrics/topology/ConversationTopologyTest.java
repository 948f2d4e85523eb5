package io.janela.metrics.topology;

import static io.janela.metrics.testing.MetaRecords.at;
import static io.janela.metrics.testing.MetaRecords.closed;
import static io.janela.metrics.testing.MetaRecords.customerMessage;
import static io.janela.metrics.testing.MetaRecords.opened;
import static io.janela.metrics.testing.MetaRecords.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.Origin;
import io.janela.avro.ResponderKind;
import io.janela.metrics.testing.MetaRecords;
import io.janela.metrics.testing.TopologyHarness;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConversationTopologyTest {

    private final TopologyHarness harness = new TopologyHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aBotReplyGivesOneResponseTimeOneFirstResponseAndTheWindowOpenedAndClosedReplied() {
        Instant openedAt = at(Duration.ZERO);
        harness.pipe(customerMessage("wamid.c1", openedAt));
        harness.pipe(opened(openedAt, "wamid.c1", true));
        harness.pipe(sent("request-1", "wamid.b1", Origin.BOT, at(Duration.ofSeconds(42)))
                .build());
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().windowsOpened()))
                .singleElement()
                .satisfies(opened -> {
                    assertThat(opened.getFirstContact()).isTrue();
                    assertThat(opened.getOccurredAt()).isEqualTo(openedAt);
                });
        assertThat(harness.read(harness.measurementTopics().responseTimes()))
                .singleElement()
                .satisfies(response -> {
                    assertThat(response.getResponseTimeMillis()).isEqualTo(42_000);
                    assertThat(response.getResponderKind()).isEqualTo(ResponderKind.BOT);
                    assertThat(response.getCustomerMessageId()).isEqualTo("wamid.c1");
                    assertThat(response.getBusinessMessageId()).isEqualTo("wamid.b1");
                    assertThat(response.getWindowOpenedAt()).isEqualTo(openedAt);
                });
        assertThat(harness.read(harness.measurementTopics().firstResponses()))
                .singleElement()
                .satisfies(first -> {
                    assertThat(first.getFirstResponseTimeMillis()).isEqualTo(42_000);
                    assertThat(first.getHeadroomMillis())
                            .isEqualTo(MetaRecords.WINDOW.minusSeconds(42).toMillis());
                });
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(1);

        harness.pipe(closed(openedAt, openedAt.plus(MetaRecords.WINDOW), true));
        harness.settle();
        assertThat(harness.read(harness.measurementTopics().windowsClosed()))
                .singleElement()
                .satisfies(closed -> {
                    assertThat(closed.getBusinessReplied()).isTrue();
                    assertThat(closed.getCustomerWaitingSince()).isNull();
                });
        assertThat(harness.unreadMeasurements()).isEmpty();
    }
}
