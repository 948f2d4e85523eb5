package io.janela.metrics.topology;

import static io.janela.metrics.testing.MetaRecords.at;
import static io.janela.metrics.testing.MetaRecords.customerMessage;
import static io.janela.metrics.testing.MetaRecords.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.Origin;
import io.janela.metrics.streams.StreamsMeters;
import io.janela.metrics.testing.TopologyHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Records that reach the topology together although Meta's times lie days apart: the service catching up after an
 * outage, a first start over the retained input topics, or Meta delivering webhooks it retried for days. Event time
 * defines every measurement (DESIGN.md §4), so the result must be the one of the same records arriving live.
 */
class BacklogTopologyTest {

    private final TopologyHarness harness = new TopologyHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aResponseIsMeasuredWhenALaterMessageOfTheSameBacklogLiesBeyondTheTimelineHorizon() {
        harness.pipe(customerMessage("wamid.c1", at(Duration.ZERO)));
        harness.pipe(sent("request-1", "wamid.b1", Origin.AGENT, at(Duration.ofSeconds(10)))
                .build());
        // Two days and an hour later the customer writes again; in the backlog it arrives within the settle delay.
        harness.pipe(customerMessage("wamid.c2", at(Duration.ofHours(49))));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().responseTimes()))
                .as("the agent's answer 10 s after the customer wrote, as measured when the records come live")
                .singleElement()
                .satisfies(response -> {
                    assertThat(response.getBusinessMessageId()).isEqualTo("wamid.b1");
                    assertThat(response.getResponseTimeMillis()).isEqualTo(10_000);
                });
        assertThat(harness.counter(StreamsMeters.LATE_MEASUREMENTS, "measurement", "response_time"))
                .isZero();
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }
}
