package io.janela.metrics.summary;

import io.janela.metrics.state.SummaryBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads a phone number's summary for a range from the local window store: merges the buckets whose start lies in
 * the range rounded out to whole buckets, and computes the rates and quantiles from the merged counts and sketches.
 * The buckets hold the measurement records themselves (counted exactly; durations in {@link QuantileSketch}es), so
 * counts are exact and quantiles within {@link QuantileSketch#RELATIVE_ACCURACY}.
 */
public final class SummaryQuery {

    private final Supplier<KafkaStreams> streams;
    private final SummarySettings settings;

    public SummaryQuery(Supplier<KafkaStreams> streams, SummarySettings settings) {
        this.streams = streams;
        this.settings = settings;
    }

    /** The range actually covered for a requested [from, to): rounded out to whole buckets. */
    public Instant[] coveredRange(Instant from, Instant to) {
        long bucket = settings.bucket().toMillis();
        long start = Math.floorDiv(from.toEpochMilli(), bucket) * bucket;
        long end = (Math.floorDiv(to.toEpochMilli() - 1, bucket) + 1) * bucket;
        return new Instant[] {Instant.ofEpochMilli(start), Instant.ofEpochMilli(end)};
    }

    /**
     * The summary of {@code phoneNumberId} over [from, to), rounded out to whole buckets.
     *
     * @throws SummaryUnavailableException while the store cannot be read here (starting, rebalancing)
     */
    public SummaryReport summarize(String phoneNumberId, Instant from, Instant to) {
        Instant[] range = coveredRange(from, to);
        Totals totals = new Totals();
        try (WindowStoreIterator<SummaryBucket> buckets =
                store().fetch(phoneNumberId, range[0], range[1].minus(settings.bucket()))) {
            buckets.forEachRemaining(bucket -> totals.add(bucket.value));
        } catch (InvalidStateStoreException e) {
            throw new SummaryUnavailableException("the summary store is not available on this instance now", e);
        }
        return totals.report(phoneNumberId, range[0], range[1], settings.bucket());
    }

    private ReadOnlyWindowStore<String, SummaryBucket> store() {
        KafkaStreams running = streams.get();
        if (running == null || running.state() != KafkaStreams.State.RUNNING) {
            throw new SummaryUnavailableException("Kafka Streams is not running yet", null);
        }
        try {
            return running.store(
                    StoreQueryParameters.fromNameAndType(SummaryStream.STORE, QueryableStoreTypes.windowStore()));
        } catch (InvalidStateStoreException e) {
            throw new SummaryUnavailableException("the summary store is not available on this instance now", e);
        }
    }

    /** The merge of a range's buckets. */
    private static final class Totals {

        private long opened;
        private long openedFirstTime;
        private long closed;
        private long closedWithReply;
        private long closedWhileWaiting;
        private long expiredWhileWaiting;
        private final QuantileSketch firstResponses = new QuantileSketch();
        private final QuantileSketch headroom = new QuantileSketch();
        private final QuantileSketch responseTimes = new QuantileSketch();

        void add(SummaryBucket bucket) {
            opened += bucket.getWindowsOpened();
            openedFirstTime += bucket.getOpenedByFirstTimeContacts();
            closed += bucket.getWindowsClosed();
            closedWithReply += bucket.getClosedWithReply();
            closedWhileWaiting += bucket.getClosedWhileWaiting();
            expiredWhileWaiting += bucket.getExpiredWhileWaiting();
            firstResponses.merge(bucket.getFirstResponses());
            headroom.merge(bucket.getHeadroom());
            responseTimes.merge(bucket.getResponseTimes());
        }

        SummaryReport report(String phoneNumberId, Instant from, Instant to, Duration bucket) {
            return new SummaryReport(
                    phoneNumberId,
                    from,
                    to,
                    bucket.toString(),
                    new SummaryReport.Windows(
                            opened,
                            openedFirstTime,
                            opened - openedFirstTime,
                            closed,
                            closedWithReply,
                            closed - closedWithReply,
                            closedWhileWaiting,
                            expiredWhileWaiting),
                    closed == 0 ? null : (double) closedWithReply / closed,
                    durations(firstResponses),
                    durations(headroom),
                    durations(responseTimes),
                    QuantileSketch.RELATIVE_ACCURACY);
        }

        private static SummaryReport.Durations durations(QuantileSketch sketch) {
            if (sketch.count() == 0) {
                return new SummaryReport.Durations(0, null, null, null, null, null);
            }
            return new SummaryReport.Durations(
                    sketch.count(),
                    seconds((double) sketch.sum() / sketch.count()),
                    seconds(sketch.quantile(0.5)),
                    seconds(sketch.quantile(0.9)),
                    seconds(sketch.quantile(0.99)),
                    seconds(sketch.quantile(1.0)));
        }

        private static Double seconds(double millis) {
            return millis / 1000.0;
        }
    }
}
