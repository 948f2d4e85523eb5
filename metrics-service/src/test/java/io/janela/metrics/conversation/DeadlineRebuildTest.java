package io.janela.metrics.conversation;

import static io.janela.testfixtures.MetaRecords.ANA;
import static io.janela.testfixtures.MetaRecords.BEN;
import static io.janela.testfixtures.MetaRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.ResponderKind;
import io.janela.avro.ResponseTimeMeasurement;
import io.janela.metrics.state.ConversationState;
import io.janela.metrics.streams.DeadlineKind;
import io.janela.metrics.streams.MeasurementSettings;
import io.janela.metrics.streams.StoreCoders;
import io.janela.metrics.streams.StreamsMeters;
import io.janela.serde.SpecificAvroSerde;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.streams.DeadlineIndex;
import io.janela.streams.DeadlineRebuild;
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
 * The deadline indexes have no changelog. A task that starts with its conversations restored and its index empty (its
 * store lost, or the task new to this instance: only the states come back from their changelog) must still settle what
 * was pending. The index is rebuilt from a punctuation, a slice at a time, while the task processes records (fired by
 * hand here: one conversation per slice in the tests that say so).
 */
class DeadlineRebuildTest {

    static final String REGISTRY = "metrics-deadline-rebuild-test";
    static final Duration SETTLE = Duration.ofSeconds(30);
    /** Read between Ben ("BR.…") and Ana ("US.…"). */
    static final MetaRecords.Contact CAL = new MetaRecords.Contact("PT.30000000000000000002", "351912345678");

    final MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
    final KeyValueStore<String, ConversationState> conversations = store(Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(ConversationStores.DEFAULT.conversations()),
            Serdes.String(),
            SpecificAvroSerde.forValues(ConversationState.class, Map.of("schema.registry.url", "mock://" + REGISTRY))));
    final KeyValueStore<Bytes, byte[]> deadlines = store(Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(ConversationStores.DEFAULT.deadlines()), Serdes.Bytes(), Serdes.ByteArray()));
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final MeasurementSettings settings = new MeasurementSettings(
            SETTLE, Duration.ofHours(48), 1000, Duration.ofDays(8), Duration.ofSeconds(1), 10_000, 10_000);
    /** One conversation per rebuild slice. */
    final MeasurementSettings sliced = new MeasurementSettings(
            SETTLE,
            Duration.ofHours(48),
            1000,
            Duration.ofDays(8),
            Duration.ofSeconds(1),
            10_000,
            10_000,
            MeasurementSettings.DEFAULT_REOPEN_WITHIN,
            new DeadlineRebuild.Pace(Duration.ofMillis(1), 1, Duration.ofHours(1)));

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
        assertThat(count()).as("nothing is read before the task runs").isZero();
        rebuildSlice(); // at the default pace, one slice reads every conversation here

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

    @Test
    void recordsAreProcessedAndDueChecksSettleWhileTheRebuildIsStillRunning() {
        StoreCoders.enable();
        long arrived = T0.plusSeconds(10).toEpochMilli();
        waitingAndAnswered(started(settings), arrived);
        dropIndex();
        ConversationProcessor after = started(sliced);

        // Before any slice: a record for a contact the rebuild has not read is processed.
        long later = arrived + 5_000;
        context.setCurrentSystemTimeMs(later);
        after.process(new Record<>(CAL.key(), MetaRecords.customerMessage(CAL, "wamid.c9", T0.plusSeconds(14)), later));
        assertThat(conversations.get(CAL.key())).isNotNull();
        assertThat(rebuildsDone()).isZero();

        // Ben (the first key) is read; his settle check, due by now, is acted on at the next punctuation.
        long settled = arrived + SETTLE.toMillis();
        context.setCurrentSystemTimeMs(settled);
        rebuildSlice();
        after.punctuate(settled);
        assertThat(forwardedSinceLastLook())
                .singleElement()
                .isInstanceOfSatisfying(
                        ResponseTimeMeasurement.class,
                        measurement ->
                                assertThat(measurement.getCustomerMessageId()).isEqualTo("wamid.b1c"));
        assertThat(rebuildsDone()).as("Cal and Ana are not read yet").isZero();

        // Cal, then Ana: Ana's check, due since the last punctuation, fires at the next one, a slice late.
        rebuildSlice();
        rebuildSlice();
        after.punctuate(settled + 1_000);
        assertThat(forwardedSinceLastLook())
                .singleElement()
                .isInstanceOfSatisfying(
                        ResponseTimeMeasurement.class,
                        measurement ->
                                assertThat(measurement.getCustomerMessageId()).isEqualTo("wamid.a1c"));
        assertThat(rebuildsDone()).isEqualTo(1);
    }

    @Test
    void aConversationChangedBeforeTheRebuildReachesItGetsExactlyTheDeadlinesItNames() {
        StoreCoders.enable();
        long arrived = T0.plusSeconds(10).toEpochMilli();
        waitingAndAnswered(started(settings), arrived);
        dropIndex();
        ConversationProcessor after = started(sliced);
        Long checkAt = ConversationCodec.decode(conversations.get(ANA.key())).checkAt();
        assertThat(checkAt).isEqualTo(arrived + SETTLE.toMillis());

        // Ana writes again before the rebuild reaches her: her pending check is earlier than the new one, so the
        // processor keeps it and puts nothing, though the index lacks it.
        long later = arrived + 5_000;
        context.setCurrentSystemTimeMs(later);
        after.process(new Record<>(ANA.key(), MetaRecords.customerMessage("wamid.a2c", T0.plusSeconds(15)), later));
        assertThat(entries(ANA.key())).isEmpty();
        rebuildSlice(); // Ben
        rebuildSlice(); // Ana

        ConversationCodec.Stored ana = ConversationCodec.decode(conversations.get(ANA.key()));
        assertThat(ana.checkAt()).isEqualTo(checkAt);
        assertThat(entries(ANA.key()))
                .containsExactly(
                        new DeadlineIndex.Due<>(checkAt, DeadlineKind.CHECK, ANA.key()),
                        new DeadlineIndex.Due<>(ana.evictCheckAt(), DeadlineKind.EVICT, ANA.key()));
    }

    /** Ana and Ben each wrote and had a reply 8 s later; their settle checks are pending. */
    private void waitingAndAnswered(ConversationProcessor processor, long arrived) {
        context.setCurrentSystemTimeMs(arrived);
        for (var contact : List.of(ANA, BEN)) {
            String prefix = contact == ANA ? "wamid.a1" : "wamid.b1";
            processor.process(
                    new Record<>(contact.key(), MetaRecords.customerMessage(contact, prefix + "c", T0), arrived));
            processor.process(new Record<>(
                    contact.key(),
                    new BusinessMessage(prefix + "b", T0.plusSeconds(8), ResponderKind.AGENT, 0),
                    arrived));
        }
        assertThat(forwardedSinceLastLook()).isEmpty();
        processor.close();
    }

    /** The index as a task finds it when its store was lost. */
    private void dropIndex() {
        List<Bytes> entries = new ArrayList<>();
        try (var all = deadlines.all()) {
            all.forEachRemaining(entry -> entries.add(entry.key));
        }
        entries.forEach(deadlines::delete);
    }

    /** Runs the latest processor's rebuild punctuation once: one slice. */
    private void rebuildSlice() {
        context.scheduledPunctuators().stream()
                .filter(punctuator -> punctuator.getInterval().equals(Duration.ofMillis(1)) && !punctuator.cancelled())
                .reduce((first, second) -> second)
                .orElseThrow()
                .getPunctuator()
                .punctuate(context.currentSystemTimeMs());
    }

    private double rebuildsDone() {
        var timer = meters.find(StreamsMeters.INDEX_REBUILD)
                .tag("index", "conversations")
                .timer();
        return timer == null ? 0 : timer.count();
    }

    private List<DeadlineIndex.Due<DeadlineKind>> entries(String key) {
        return DeadlineKind.index(deadlines).due(Long.MAX_VALUE / 2, Integer.MAX_VALUE).stream()
                .filter(due -> due.id().equals(key))
                .toList();
    }

    private long count() {
        try (var all = deadlines.all()) {
            long count = 0;
            while (all.hasNext()) {
                all.next();
                count++;
            }
            return count;
        }
    }

    private ConversationProcessor started() {
        return started(settings);
    }

    private ConversationProcessor started(MeasurementSettings settings) {
        ConversationProcessor processor = new ConversationProcessor(
                ConversationStores.DEFAULT,
                settings,
                new StreamsMeters(meters),
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
