package io.janela.metrics.summary;

import static io.janela.metrics.summary.LocalSummaryTasks.active;
import static io.janela.metrics.summary.LocalSummaryTasks.bucket;
import static io.janela.metrics.summary.LocalSummaryTasks.standby;
import static io.janela.metrics.summary.LocalSummaryTasks.streams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * The summary store read on one instance. With {@code num.standby.replicas=1} (deploy/base/common/kafka-streams.yaml)
 * every instance also holds standby copies of other instances' summary partitions; Kafka Streams (4.2.1,
 * KafkaStreams#query over the local tasks, standbys included since they live in the state updater) answers each of
 * them with {@code FailureReason.NOT_ACTIVE} when the request {@code requireActive()}, and a requested partition it
 * does not hold at all with {@code NOT_PRESENT}. {@link LocalSummaryTasks} answers the same way.
 */
class SummaryQueryTest {

    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
    private static final String PHONE_NUMBER_ID = "106540352242922";
    private static final SummarySettings SETTINGS = new SummarySettings(Duration.ofMinutes(5), Duration.ofDays(35));

    /** Partition 0 active here with two windows opened, one closed with a reply; partition 1 a standby copy. */
    private final KafkaStreams streams = streams(Map.of(0, active(bucket(2, 1, 1)), 1, standby()));

    private final SummaryQuery query = new SummaryQuery(() -> streams, SETTINGS);

    @Test
    void aStandbyCopyOfAnotherInstancesPartitionDoesNotMakeTheSummaryUnavailable() {
        SummaryPartial partial = query.localPartial(PHONE_NUMBER_ID, T, T.plusSeconds(3600), Set.of(0));

        assertThat(partial.windowsOpened()).isEqualTo(2);
        assertThat(partial.windowsClosed()).isEqualTo(1);
        assertThat(partial.closedWithReply()).isEqualTo(1);
    }

    @Test
    void aPartitionThisInstanceIsAskedForButServesOnlyAsAStandbyMakesTheSummaryUnavailable() {
        assertThatThrownBy(() -> query.localPartial(PHONE_NUMBER_ID, T, T.plusSeconds(3600), Set.of(0, 1)))
                .isInstanceOf(SummaryUnavailableException.class)
                .hasMessageContaining("{1=NOT_ACTIVE}");
    }

    @Test
    void aPartitionThatMovedAwaySinceTheAskingInstanceLookedMakesTheSummaryUnavailable() {
        assertThatThrownBy(() -> query.localPartial(PHONE_NUMBER_ID, T, T.plusSeconds(3600), Set.of(0, 2)))
                .isInstanceOf(SummaryUnavailableException.class)
                .hasMessageContaining("{2=NOT_PRESENT}");
    }

    @Test
    void anInstanceAskedForNoPartitionAddsNothingAndReadsNoStore() {
        SummaryPartial partial = query.localPartial(PHONE_NUMBER_ID, T, T.plusSeconds(3600), Set.of());

        assertThat(partial.windowsOpened()).isZero();
        assertThat(partial.firstResponses().count()).isZero();
        verify(streams, never()).query(any());
    }

    @Test
    void anInstanceTakenToBeTheOnlyOneMustServeEveryPartitionItHolds() {
        // Alone, an instance holds no standby copies: a partition it does not serve actively is one it is not ready
        // to serve yet (its thread rebalancing), not one served elsewhere.
        assertThatThrownBy(() -> query.localPartial(PHONE_NUMBER_ID, T, T.plusSeconds(3600)))
                .isInstanceOf(SummaryUnavailableException.class)
                .hasMessageContaining("{1=NOT_ACTIVE}");

        KafkaStreams alone = streams(Map.of(0, active(bucket(2, 1, 1)), 1, active(bucket(1, 0, 0))));
        assertThat(new SummaryQuery(() -> alone, SETTINGS)
                        .localPartial(PHONE_NUMBER_ID, T, T.plusSeconds(3600))
                        .windowsOpened())
                .isEqualTo(3);
    }
}
