package io.janela.metrics.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.janela.metrics.state.SummaryBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.Test;

/**
 * The summary store read on one instance. With {@code num.standby.replicas=1} (deploy/base/common/kafka-streams.yaml)
 * every instance also holds standby copies of other instances' summary partitions; Kafka Streams (4.2.1,
 * KafkaStreams#query over all local tasks, standbys included since they live in the state updater) answers each of
 * them with {@code FailureReason.NOT_ACTIVE} when the request {@code requireActive()}: those partitions are served by
 * their active instance, which this one asks for its part.
 */
class SummaryQueryTest {

    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
    private static final SummarySettings SETTINGS = new SummarySettings(Duration.ofMinutes(5), Duration.ofDays(35));

    @Test
    void aStandbyCopyOfAnotherInstancesPartitionDoesNotMakeTheSummaryUnavailable() {
        SummaryBucket bucket = SummaryBuckets.empty();
        bucket.setWindowsOpened(2);
        bucket.setWindowsClosed(1);
        bucket.setClosedWithReply(1);
        StateQueryResult<WindowStoreIterator<SummaryBucket>> answer = new StateQueryResult<>();
        answer.addResult(0, QueryResult.forResult(iterator(List.of(KeyValue.pair(T.toEpochMilli(), bucket)))));
        answer.addResult(
                1,
                QueryResult.forFailure(
                        FailureReason.NOT_ACTIVE,
                        "Query requires an active task but the task for partition 1 is a standby here"));
        KafkaStreams streams = mock(KafkaStreams.class);
        when(streams.state()).thenReturn(KafkaStreams.State.RUNNING);
        when(streams.<WindowStoreIterator<SummaryBucket>>query(any())).thenReturn(answer);

        SummaryPartial partial =
                new SummaryQuery(() -> streams, SETTINGS).localPartial("106540352242922", T, T.plusSeconds(3600));

        assertThat(partial.windowsOpened()).isEqualTo(2);
        assertThat(partial.windowsClosed()).isEqualTo(1);
        assertThat(partial.closedWithReply()).isEqualTo(1);
    }

    private static WindowStoreIterator<SummaryBucket> iterator(List<KeyValue<Long, SummaryBucket>> entries) {
        Iterator<KeyValue<Long, SummaryBucket>> inner = entries.iterator();
        return new WindowStoreIterator<>() {
            @Override
            public void close() {}

            @Override
            public Long peekNextKey() {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean hasNext() {
                return inner.hasNext();
            }

            @Override
            public KeyValue<Long, SummaryBucket> next() {
                return inner.next();
            }
        };
    }
}
