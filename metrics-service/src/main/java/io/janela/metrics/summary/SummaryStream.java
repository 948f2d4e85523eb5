package io.janela.metrics.summary;

import io.janela.metrics.state.SummaryBucket;
import io.janela.metrics.state.SummaryContribution;
import io.janela.metrics.streams.MeasurementTopics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The summary step: reads the committed window and response measurements back from their topics (so the summary is
 * computed from exactly the records the recorder sees), re-keys them by business phone number id and adds them to a
 * window store of time buckets, which {@code GET /metrics/summary} reads.
 */
public final class SummaryStream {

    /** The window store of buckets, keyed by phone number id. */
    public static final String STORE = "metrics-summary";

    private SummaryStream() {}

    public static void addTo(
            StreamsBuilder builder,
            MeasurementTopics topics,
            Serde<SummaryContribution> contributionSerde,
            Serde<SummaryBucket> bucketSerde,
            SummarySettings settings) {
        KStream<String, SummaryContribution> opened = builder.stream(
                        topics.windowsOpened().name(),
                        Consumed.with(Serdes.String(), topics.windowsOpened().valueSerde())
                                .withName("metrics-summary-windows-opened-source"))
                .map(
                        (key, measurement) ->
                                KeyValue.pair(measurement.getPhoneNumberId(), SummaryContributions.of(measurement)),
                        Named.as("metrics-summary-windows-opened"));
        KStream<String, SummaryContribution> closed = builder.stream(
                        topics.windowsClosed().name(),
                        Consumed.with(Serdes.String(), topics.windowsClosed().valueSerde())
                                .withName("metrics-summary-windows-closed-source"))
                .map(
                        (key, measurement) ->
                                KeyValue.pair(measurement.getPhoneNumberId(), SummaryContributions.of(measurement)),
                        Named.as("metrics-summary-windows-closed"));
        KStream<String, SummaryContribution> firstResponses = builder.stream(
                        topics.firstResponses().name(),
                        Consumed.with(Serdes.String(), topics.firstResponses().valueSerde())
                                .withName("metrics-summary-first-responses-source"))
                .map(
                        (key, measurement) ->
                                KeyValue.pair(measurement.getPhoneNumberId(), SummaryContributions.of(measurement)),
                        Named.as("metrics-summary-first-responses"));
        KStream<String, SummaryContribution> responses = builder.stream(
                        topics.responseTimes().name(),
                        Consumed.with(Serdes.String(), topics.responseTimes().valueSerde())
                                .withName("metrics-summary-response-times-source"))
                .map(
                        (key, measurement) ->
                                KeyValue.pair(measurement.getPhoneNumberId(), SummaryContributions.of(measurement)),
                        Named.as("metrics-summary-response-times"));
        opened.merge(closed, Named.as("metrics-summary-merge-windows"))
                .merge(firstResponses, Named.as("metrics-summary-merge-first-responses"))
                .merge(responses, Named.as("metrics-summary-merge-responses"))
                .repartition(Repartitioned.<String, SummaryContribution>as("metrics-summary-by-phone-number")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(contributionSerde))
                .process(new Aggregation(bucketSerde, settings), Named.as("metrics-summary"));
    }

    private record Aggregation(Serde<SummaryBucket> bucketSerde, SummarySettings settings)
            implements ProcessorSupplier<String, SummaryContribution, Void, Void> {

        @Override
        public Processor<String, SummaryContribution, Void, Void> get() {
            return new SummaryAggregation(STORE, settings.bucket());
        }

        @Override
        public java.util.Set<StoreBuilder<?>> stores() {
            StoreBuilder<WindowStore<String, SummaryBucket>> store = Stores.windowStoreBuilder(
                            Stores.persistentWindowStore(STORE, settings.retention(), settings.bucket(), false),
                            Serdes.String(),
                            bucketSerde)
                    .withCachingEnabled();
            return java.util.Set.of(store);
        }
    }
}
