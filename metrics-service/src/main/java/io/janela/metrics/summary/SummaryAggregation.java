package io.janela.metrics.summary;

import io.janela.metrics.state.SummaryBucket;
import io.janela.metrics.state.SummaryContribution;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Adds each contribution, keyed by phone number id, to the bucket of its event time ({@code occurredAt}, not the
 * record's arrival): a measurement that comes late still lands in its own bucket, as long as the store keeps it.
 */
final class SummaryAggregation implements Processor<String, SummaryContribution, Void, Void> {

    private final String storeName;
    private final long bucketMillis;
    private WindowStore<String, SummaryBucket> buckets;

    SummaryAggregation(String storeName, Duration bucket) {
        this.storeName = storeName;
        this.bucketMillis = bucket.toMillis();
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        buckets = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, SummaryContribution> record) {
        if (record.key() == null || record.value() == null) {
            throw new IllegalArgumentException("a summary contribution needs a phone number id and a value");
        }
        long at = record.value().getOccurredAt().toEpochMilli();
        long start = Math.floorDiv(at, bucketMillis) * bucketMillis;
        SummaryBucket bucket = buckets.fetch(record.key(), start);
        buckets.put(
                record.key(),
                SummaryBuckets.add(bucket == null ? SummaryBuckets.empty() : bucket, record.value()),
                start);
    }
}
