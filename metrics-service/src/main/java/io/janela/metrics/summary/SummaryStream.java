package io.janela.metrics.summary;

import io.janela.avro.SurveyEvent;
import io.janela.metrics.state.SummaryBucket;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The summary step: takes the measurement records as the topology writes them to their topics (the same records, in
 * the same exactly-once transaction) and adds the window and response measurements to a window store of time
 * buckets per business phone number id, in each task; {@code GET /metrics/summary} merges the buckets of all tasks.
 */
public final class SummaryStream {

    /** The window store of buckets, keyed by phone number id, one per task. */
    public static final String STORE = "metrics-summary";

    private SummaryStream() {}

    /** Whether a survey-service event counts in the summary: a survey delivered, or answered with a score. */
    public static boolean counts(SurveyEvent event) {
        return SummaryContribution.counted(event);
    }

    public static void addTo(
            KStream<String, Object> measurements, Serde<SummaryBucket> bucketSerde, SummarySettings settings) {
        measurements.process(new Aggregation(bucketSerde, settings), Named.as("metrics-summary"));
    }

    private record Aggregation(Serde<SummaryBucket> bucketSerde, SummarySettings settings)
            implements ProcessorSupplier<String, Object, Void, Void> {

        @Override
        public Processor<String, Object, Void, Void> get() {
            return new SummaryAggregation(STORE, settings);
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
            StoreBuilder<WindowStore<String, SummaryBucket>> store = Stores.windowStoreBuilder(
                            Stores.persistentWindowStore(STORE, settings.retention(), settings.bucket(), false),
                            Serdes.String(),
                            bucketSerde)
                    .withCachingEnabled();
            return Set.of(store);
        }
    }
}
