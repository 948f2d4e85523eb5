package io.janela.metrics.summary;

import io.janela.metrics.state.SummaryBucket;
import io.janela.metrics.streams.DecodedStateCache;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Adds each window and response measurement to its phone number's bucket of the measurement's event time
 * ({@code occurredAt}, not the record's arrival): a measurement that comes late still lands in its own bucket, as
 * long as the store keeps it. The store is the task's own: it sums the contacts of this partition, and a summary
 * merges the buckets of every partition (the sums and sketches are mergeable), so no record is re-keyed by phone
 * number through an extra topic.
 *
 * <p>The buckets last written are kept decoded ({@link DecodedStateCache}, as the conversation and message steps keep
 * their states): every measurement of a busy number lands in the same bucket, and reading it back from the store
 * decoded the whole bucket, sketches and agent rows, once per measurement. Every change is still written to the
 * store (and so to its changelog, in the same transaction); a bucket whose change failed is dropped from the cache,
 * and a task that starts again (a new {@code init}) starts with an empty cache.
 */
final class SummaryAggregation implements Processor<String, Object, Void, Void> {

    private final String storeName;
    private final SummarySettings settings;
    private final long bucketMillis;
    /** Buckets kept decoded per task: a few numbers' current buckets, and the late measurements' older ones. */
    static final int CACHED_BUCKETS = 256;

    private WindowStore<String, SummaryBucket> buckets;
    private DecodedStateCache<SummaryBucket> cache;

    SummaryAggregation(String storeName, SummarySettings settings) {
        this.storeName = storeName;
        this.settings = settings;
        this.bucketMillis = settings.bucket().toMillis();
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        buckets = context.getStateStore(storeName);
        cache = new DecodedStateCache<>(CACHED_BUCKETS);
    }

    @Override
    public void process(Record<String, Object> record) {
        SummaryContribution.of(record.value()).ifPresent(this::add);
    }

    private void add(SummaryContribution contribution) {
        long at = contribution.occurredAt().toEpochMilli();
        long start = Math.floorDiv(at, bucketMillis) * bucketMillis;
        String phoneNumberId = contribution.phoneNumberId();
        String id = start + ":" + phoneNumberId;
        cache.forgetOnFailure(id, () -> {
            SummaryBucket bucket = cache.get(id);
            if (bucket == null) {
                bucket = buckets.fetch(phoneNumberId, start);
            }
            SummaryBucket added =
                    SummaryBuckets.add(bucket == null ? SummaryBuckets.empty() : bucket, contribution, settings);
            buckets.put(phoneNumberId, added, start);
            cache.put(id, added);
        });
    }
}
