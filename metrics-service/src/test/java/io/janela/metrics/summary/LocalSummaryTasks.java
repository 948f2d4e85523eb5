package io.janela.metrics.summary;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.janela.metrics.state.SummaryBucket;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The summary store's tasks on one instance, behind a running KafkaStreams whose {@code query} answers as 4.2.1's
 * does: a requested partition held as a standby copy with {@code NOT_ACTIVE} when the request requires an active
 * task, a requested partition not held here with {@code NOT_PRESENT}.
 */
final class LocalSummaryTasks {

    static final Instant BUCKET_START = Instant.parse("2026-11-20T10:00:00Z");

    private LocalSummaryTasks() {}

    /** A local task of the summary store: active with its bucket, or a standby copy. */
    record Task(SummaryBucket bucket) {}

    static Task active(SummaryBucket bucket) {
        return new Task(bucket);
    }

    static Task standby() {
        return new Task(null);
    }

    static SummaryBucket bucket(long opened, long closed, long closedWithReply) {
        SummaryBucket bucket = SummaryBuckets.empty();
        bucket.setWindowsOpened(opened);
        bucket.setWindowsClosed(closed);
        bucket.setClosedWithReply(closedWithReply);
        return bucket;
    }

    static KafkaStreams streams(Map<Integer, Task> tasks) {
        KafkaStreams streams = mock(KafkaStreams.class);
        when(streams.state()).thenReturn(KafkaStreams.State.RUNNING);
        when(streams.<WindowStoreIterator<SummaryBucket>>query(any())).thenAnswer(invocation -> {
            StateQueryRequest<?> request = invocation.getArgument(0);
            StateQueryResult<WindowStoreIterator<SummaryBucket>> result = new StateQueryResult<>();
            Map<Integer, Task> asked = new HashMap<>(tasks);
            if (!request.isAllPartitions()) {
                asked.keySet().retainAll(request.getPartitions());
            }
            asked.forEach((partition, task) -> {
                if (task.bucket() == null && request.isRequireActive()) {
                    result.addResult(
                            partition,
                            QueryResult.forFailure(
                                    FailureReason.NOT_ACTIVE,
                                    "Query requires a running active task, but partition " + partition
                                            + " is a standby here"));
                } else {
                    result.addResult(partition, QueryResult.forResult(iterator(task.bucket())));
                }
            });
            if (!request.isAllPartitions()) {
                for (Integer partition : request.getPartitions()) {
                    if (!tasks.containsKey(partition)) {
                        result.addResult(
                                partition,
                                QueryResult.forFailure(
                                        FailureReason.NOT_PRESENT,
                                        "The requested partition was not present at the time of the query."));
                    }
                }
            }
            return result;
        });
        return streams;
    }

    private static WindowStoreIterator<SummaryBucket> iterator(SummaryBucket bucket) {
        Iterator<KeyValue<Long, SummaryBucket>> inner = (bucket == null
                        ? List.<KeyValue<Long, SummaryBucket>>of()
                        : List.of(KeyValue.pair(BUCKET_START.toEpochMilli(), bucket)))
                .iterator();
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
