package io.janela.metrics.summary;

import io.janela.metrics.state.SummaryBucket;
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
 */
final class SummaryAggregation implements Processor<String, Object, Void, Void> {

    private final String storeName;
    private final SummarySettings settings;
    private final long bucketMillis;
    private WindowStore<String, SummaryBucket> buckets;

    SummaryAggregation(String storeName, SummarySettings settings) {
        this.storeName = storeName;
        this.settings = settings;
        this.bucketMillis = settings.bucket().toMillis();
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        buckets = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, Object> record) {
        SummaryContribution.of(record.value()).ifPresent(this::add);
    }

    private void add(SummaryContribution contribution) {
        long at = contribution.occurredAt().toEpochMilli();
        long start = Math.floorDiv(at, bucketMillis) * bucketMillis;
        SummaryBucket bucket = buckets.fetch(contribution.phoneNumberId(), start);
        buckets.put(
                contribution.phoneNumberId(),
                SummaryBuckets.add(bucket == null ? SummaryBuckets.empty() : bucket, contribution, settings),
                start);
    }
}
