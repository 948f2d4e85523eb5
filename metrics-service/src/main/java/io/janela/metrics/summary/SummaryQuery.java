package io.janela.metrics.summary;

import io.janela.metrics.state.SummaryBucket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads a phone number's summary from the window stores of this instance's active tasks: merges the buckets whose
 * start lies in the range, rounded out to whole buckets. Buckets hold the measurement records' counts exactly and their
 * durations in {@link QuantileSketch}es, so counts are exact and quantiles within
 * {@link QuantileSketch#RELATIVE_ACCURACY}.
 */
final class SummaryQuery {

    private final Supplier<KafkaStreams> streams;
    private final SummarySettings settings;

    public SummaryQuery(Supplier<KafkaStreams> streams, SummarySettings settings) {
        this.streams = streams;
        this.settings = settings;
    }

    /** The range actually covered for a requested [from, to): rounded out to whole buckets. */
    Instant[] coveredRange(Instant from, Instant to) {
        long bucket = settings.bucket().toMillis();
        long start = Math.floorDiv(from.toEpochMilli(), bucket) * bucket;
        long end = (Math.floorDiv(to.toEpochMilli() - 1, bucket) + 1) * bucket;
        return new Instant[] {Instant.ofEpochMilli(start), Instant.ofEpochMilli(end)};
    }

    /**
     * What this instance's active tasks hold for {@code phoneNumberId} over [from, to), rounded out to whole buckets,
     * in exactly {@code partitions} of the summary store: those Kafka Streams' assignment names this instance the
     * active host of ({@link SummaryPeers}). The instance may hold standby copies of other partitions; they are not
     * read.
     *
     * @throws SummaryUnavailableException when one of the partitions is not served actively here now: its task is
     *     restoring or its thread rebalancing, or it moved away since the asking instance looked
     */
    public SummaryPartial localPartial(String phoneNumberId, Instant from, Instant to, Set<Integer> partitions) {
        if (partitions.isEmpty()) {
            return new SummaryTotals().partial();
        }
        return read(phoneNumberId, from, to, partitions);
    }

    /**
     * What this instance's tasks hold for {@code phoneNumberId} over [from, to), rounded out to whole buckets, in every
     * partition of the summary store it holds, each of which it must serve actively: for an instance taken to be the
     * only one ({@link SummaryAssignment.Alone}).
     *
     * @throws SummaryUnavailableException while the stores cannot be read here (starting, rebalancing)
     */
    public SummaryPartial localPartial(String phoneNumberId, Instant from, Instant to) {
        return read(phoneNumberId, from, to, null);
    }

    /**
     * Every task holds buckets for the same phone number (each sums its own contacts), so each partition's store is
     * read: a plain {@code store(...).fetch(key)} over all local stores would stop at the first store holding the key.
     *
     * @param partitions the partitions to read, each of which must answer; null: every partition held here
     */
    private SummaryPartial read(String phoneNumberId, Instant from, Instant to, Set<Integer> partitions) {
        Instant[] range = coveredRange(from, to);
        KafkaStreams running = streams.get();
        if (running == null || running.state() != KafkaStreams.State.RUNNING) {
            throw new SummaryUnavailableException("Kafka Streams is not running yet", null);
        }
        StateQueryRequest<WindowStoreIterator<SummaryBucket>> request = StateQueryRequest.inStore(SummaryStream.STORE)
                .withQuery(WindowKeyQuery.<String, SummaryBucket>withKeyAndWindowStartRange(
                        phoneNumberId, range[0], range[1].minus(settings.bucket())))
                .requireActive();
        if (partitions != null) {
            request = request.withPartitions(partitions);
        }
        StateQueryResult<WindowStoreIterator<SummaryBucket>> result;
        try {
            result = running.query(request);
        } catch (StreamsException e) {
            throw new SummaryUnavailableException("the summary stores are not available on this instance now", e);
        }
        SummaryTotals totals = new SummaryTotals();
        Map<Integer, String> failures = new TreeMap<>();
        for (Map.Entry<Integer, QueryResult<WindowStoreIterator<SummaryBucket>>> partition :
                result.getPartitionResults().entrySet()) {
            QueryResult<WindowStoreIterator<SummaryBucket>> answer = partition.getValue();
            if (!answer.isSuccess()) {
                failures.put(partition.getKey(), String.valueOf(answer.getFailureReason()));
                continue;
            }
            try (WindowStoreIterator<SummaryBucket> buckets = answer.getResult()) {
                buckets.forEachRemaining(bucket -> totals.add(bucket.value));
            }
        }
        if (partitions != null) {
            for (Integer partition : partitions) {
                if (!result.getPartitionResults().containsKey(partition)) {
                    failures.put(partition, "NOT_PRESENT");
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new SummaryUnavailableException(
                    "partitions of the summary store cannot be read actively on this instance now: " + failures, null);
        }
        return totals.partial();
    }

    /** A part with only {@code agentId}'s row and {@code other} of the agents; null: the part as it is. */
    static SummaryPartial forAgent(SummaryPartial partial, String agentId) {
        if (agentId == null) {
            return partial;
        }
        SummaryTotals totals = new SummaryTotals();
        totals.add(partial);
        return totals.partial(agentId);
    }

    /** The summary of the partials of every instance, over [from, to) rounded out to whole buckets. */
    public SummaryReport report(String phoneNumberId, Instant from, Instant to, List<SummaryPartial> partials) {
        return report(phoneNumberId, from, to, partials, null);
    }

    /**
     * The summary of the partials of every instance, over [from, to) rounded out to whole buckets; with {@code agentId}
     * (null: every agent) only that agent's row and {@code other}.
     */
    public SummaryReport report(
            String phoneNumberId, Instant from, Instant to, List<SummaryPartial> partials, String agentId) {
        Instant[] range = coveredRange(from, to);
        SummaryTotals totals = new SummaryTotals();
        partials.forEach(totals::add);
        return totals.report(phoneNumberId, range[0], range[1], settings.bucket(), agentId);
    }
}
