package io.janela.metrics.conversation;

import static io.janela.testfixtures.MetaRecords.ANA;
import static io.janela.testfixtures.MetaRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.ResponderKind;
import io.janela.avro.ResponseTimeMeasurement;
import io.janela.metrics.state.ConversationState;
import io.janela.metrics.streams.MeasurementSettings;
import io.janela.metrics.streams.StoreCoders;
import io.janela.metrics.streams.StreamsMeters;
import io.janela.serde.SpecificAvroSerde;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testfixtures.MetaRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The deadline indexes have no changelog. A task that starts with its conversations restored and its index empty
 * (exactly-once Kafka Streams wipes a task's local state after an unclean stop; only the states come back from their
 * changelog) must still settle what was pending.
 */
class DeadlineRebuildTest {

    static final String REGISTRY = "metrics-deadline-rebuild-test";
    static final Duration SETTLE = Duration.ofSeconds(30);

    final MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
    final KeyValueStore<String, ConversationState> conversations = store(Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(ConversationStores.DEFAULT.conversations()),
            Serdes.String(),
            SpecificAvroSerde.forValues(ConversationState.class, Map.of("schema.registry.url", "mock://" + REGISTRY))));
    final KeyValueStore<Bytes, byte[]> deadlines = store(Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(ConversationStores.DEFAULT.deadlines()), Serdes.Bytes(), Serdes.ByteArray()));
    final MeasurementSettings settings = new MeasurementSettings(
            SETTLE, Duration.ofHours(48), 1000, Duration.ofDays(8), Duration.ofSeconds(1), 10_000, 10_000);

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(REGISTRY);
    }

    @Test
    void aTaskStartingWithStatesButNoIndexPutsTheirDeadlinesBackAndSettlesWhatWasPending() {
        StoreCoders.enable();
        long arrived = T0.plusSeconds(10).toEpochMilli();
        ConversationProcessor before = started();
        context.setCurrentSystemTimeMs(arrived);
        before.process(new Record<>(ANA.key(), MetaRecords.customerMessage("wamid.c1", T0), arrived));
        before.process(new Record<>(
                ANA.key(), new BusinessMessage("wamid.b1", T0.plusSeconds(8), ResponderKind.AGENT, 0), arrived));
        assertThat(forwardedSinceLastLook()).isEmpty();

        // The task stops uncleanly and starts again elsewhere: its conversations are restored, its index is not.
        List<Bytes> entries = new ArrayList<>();
        try (var all = deadlines.all()) {
            all.forEachRemaining(entry -> entries.add(entry.key));
        }
        assertThat(entries).hasSize(2); // the settle check and the eviction
        entries.forEach(deadlines::delete);
        ConversationProcessor after = started();

        long settled = arrived + SETTLE.toMillis();
        context.setCurrentSystemTimeMs(settled);
        after.punctuate(settled);

        assertThat(forwardedSinceLastLook())
                .singleElement()
                .isInstanceOfSatisfying(
                        ResponseTimeMeasurement.class,
                        measurement ->
                                assertThat(measurement.getResponseTimeMillis()).isEqualTo(8_000L));
        try (var all = deadlines.all()) {
            assertThat(all.hasNext()).as("the eviction entry").isTrue();
            KeyValue<Bytes, byte[]> eviction = all.next();
            assertThat(eviction.key).isNotNull();
            assertThat(all.hasNext()).isFalse();
        }
    }

    private ConversationProcessor started() {
        ConversationProcessor processor = new ConversationProcessor(
                ConversationStores.DEFAULT,
                settings,
                new StreamsMeters(new SimpleMeterRegistry()),
                io.janela.metrics.sla.SlaSettings.NONE);
        processor.init(context);
        return processor;
    }

    private List<Object> forwardedSinceLastLook() {
        List<Object> forwarded = context.forwarded().stream()
                .map(CapturedForward::record)
                .map(Record::value)
                .map(Object.class::cast)
                .toList();
        context.resetForwards();
        return forwarded;
    }

    private <S extends KeyValueStore<?, ?>> S store(StoreBuilder<S> builder) {
        S store = builder.withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
