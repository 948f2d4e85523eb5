package io.janela.metrics.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/**
 * Which instance a summary asks for which partitions of the summary store, from Kafka Streams' metadata. The
 * KafkaStreams below locates partitions as 4.2.1's does: {@code queryMetadataForKey} hands the partitioner the
 * number of the store's partitions and answers with the partition's active host, or {@link HostInfo#unavailable()}
 * when the assignment names none.
 */
class SummaryPeersTest {

    private static final HostInfo SELF = new HostInfo("metrics-0.metrics", 8083);
    private static final HostInfo OTHER = new HostInfo("metrics-1.metrics", 8083);
    private static final HostInfo THIRD = new HostInfo("metrics-2.metrics", 8083);

    @Test
    void eachPartitionIsAskedOfTheInstanceThatServesItActivelyAndOfNoOther() {
        KafkaStreams streams = streams(Map.of(0, SELF, 1, OTHER, 2, SELF, 3, THIRD, 4, OTHER, 5, THIRD));

        SummaryAssignment assignment = new SummaryPeers(() -> streams, "metrics-0.metrics:8083").assignment();

        assertThat(assignment)
                .isEqualTo(
                        new SummaryAssignment.Shared(Set.of(0, 2), Map.of(OTHER, Set.of(1, 4), THIRD, Set.of(3, 5))));
    }

    @Test
    void anInstanceServingNoPartitionStillAsksTheOthersForAll() {
        KafkaStreams streams = streams(Map.of(0, OTHER, 1, OTHER));

        SummaryAssignment assignment = new SummaryPeers(() -> streams, "metrics-0.metrics:8083").assignment();

        assertThat(assignment).isEqualTo(new SummaryAssignment.Shared(Set.of(), Map.of(OTHER, Set.of(0, 1))));
    }

    @Test
    void aPartitionWithoutAnActiveInstanceMakesTheSummaryUnavailable() {
        // Mid-rebalance: revoked from one instance, not yet assigned to the next.
        KafkaStreams streams = streams(Map.of(0, SELF, 1, OTHER, 2, HostInfo.unavailable()));

        assertThatThrownBy(() -> new SummaryPeers(() -> streams, "metrics-0.metrics:8083").assignment())
                .isInstanceOf(SummaryUnavailableException.class)
                .hasMessageContaining("partitions [2] of the summary store have no active instance");
    }

    @Test
    void beforeItsFirstAssignmentAnInstanceCannotSayWhoServesWhat() {
        KafkaStreams streams = mock(KafkaStreams.class);
        when(streams.state()).thenReturn(KafkaStreams.State.RUNNING);
        when(streams.queryMetadataForKey(eq(SummaryStream.STORE), any(), any(StreamPartitioner.class)))
                .thenReturn(KeyQueryMetadata.NOT_AVAILABLE);

        assertThatThrownBy(() -> new SummaryPeers(() -> streams, "metrics-0.metrics:8083").assignment())
                .isInstanceOf(SummaryUnavailableException.class);
    }

    @Test
    void withoutItsOwnAddressAnInstanceTakesItselfToBeTheOnlyOne() {
        assertThat(new SummaryPeers(() -> null, "").assignment()).isInstanceOf(SummaryAssignment.Alone.class);
    }

    /** A running KafkaStreams whose store partitions (0..n-1) have the given active hosts. */
    @SuppressWarnings("unchecked")
    private static KafkaStreams streams(Map<Integer, HostInfo> activeHosts) {
        KafkaStreams streams = mock(KafkaStreams.class);
        when(streams.state()).thenReturn(KafkaStreams.State.RUNNING);
        when(streams.queryMetadataForKey(eq(SummaryStream.STORE), any(), any(StreamPartitioner.class)))
                .thenAnswer(invocation -> {
                    StreamPartitioner<Object, Object> partitioner = invocation.getArgument(2);
                    int partition = partitioner
                            .partitions(
                                    "whatsapp.inbound-messages", invocation.getArgument(1), null, activeHosts.size())
                            .orElseThrow()
                            .iterator()
                            .next();
                    return new KeyQueryMetadata(activeHosts.get(partition), Set.of(), partition);
                });
        return streams;
    }
}
