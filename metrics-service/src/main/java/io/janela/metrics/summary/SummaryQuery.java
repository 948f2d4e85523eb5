package io.janela.metrics.summary;

import io.janela.metrics.state.SummaryBucket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads a phone number's summary from the window stores of this instance's tasks: merges the buckets whose start
 * lies in the range, rounded out to whole buckets. Buckets hold the measurement records' counts exactly and their
 * durations in {@link QuantileSketch}es, so counts are exact and quantiles within
 * {@link QuantileSketch#RELATIVE_ACCURACY}.
 */
public final class SummaryQuery {

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
     * What this instance's tasks hold for {@code phoneNumberId} over [from, to), rounded out to whole buckets.
     *
     * <p>Every task holds buckets for the same phone number (each sums its own contacts), so each partition's store is
     * read: a plain {@code store(...).fetch(key)} over all local stores would stop at the first store holding the key.
     *
     * @throws SummaryUnavailableException while the stores cannot be read here (starting, rebalancing)
     */
    public SummaryPartial localPartial(String phoneNumberId, Instant from, Instant to) {
        Instant[] range = coveredRange(from, to);
        KafkaStreams running = streams.get();
        if (running == null || running.state() != KafkaStreams.State.RUNNING) {
            throw new SummaryUnavailableException("Kafka Streams is not running yet", null);
        }
        StateQueryRequest<WindowStoreIterator<SummaryBucket>> request = StateQueryRequest.inStore(SummaryStream.STORE)
                .withQuery(WindowKeyQuery.<String, SummaryBucket>withKeyAndWindowStartRange(
                        phoneNumberId, range[0], range[1].minus(settings.bucket())))
                .requireActive();
        StateQueryResult<WindowStoreIterator<SummaryBucket>> result;
        try {
            result = running.query(request);
        } catch (StreamsException e) {
            throw new SummaryUnavailableException("the summary stores are not available on this instance now", e);
        }
        SummaryTotals totals = new SummaryTotals();
        RuntimeException failure = null;
        for (Map.Entry<Integer, QueryResult<WindowStoreIterator<SummaryBucket>>> partition :
                result.getPartitionResults().entrySet()) {
            QueryResult<WindowStoreIterator<SummaryBucket>> answer = partition.getValue();
            if (!answer.isSuccess()) {
                failure = new SummaryUnavailableException(
                        "partition " + partition.getKey() + " of the summary store cannot be read now: "
                                + answer.getFailureReason(),
                        null);
                continue;
            }
            try (WindowStoreIterator<SummaryBucket> buckets = answer.getResult()) {
                buckets.forEachRemaining(bucket -> totals.add(bucket.value));
            }
        }
        if (failure != null) {
            throw failure;
        }
        return totals.partial();
    }

    /** The summary of the partials of every instance, over [from, to) rounded out to whole buckets. */
    public SummaryReport report(String phoneNumberId, Instant from, Instant to, List<SummaryPartial> partials) {
        Instant[] range = coveredRange(from, to);
        SummaryTotals totals = new SummaryTotals();
        partials.forEach(totals::add);
        return totals.report(phoneNumberId, range[0], range[1], settings.bucket());
    }
}
