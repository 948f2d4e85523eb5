package io.janela.window.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.InboundMessageType;
import io.janela.contract.ContactKey;
import io.janela.serde.SpecificAvroSerde;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.window.rules.ContactState;
import io.janela.window.rules.CustomerMessage;
import io.janela.window.rules.DeadlineRules;
import io.janela.window.rules.MetaClose;
import io.janela.window.rules.WindowRules;
import io.janela.window.tracking.avro.StoredContact;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The deadline index has no changelog. A task that starts with its contacts restored and its index empty (its store
 * lost, or the task new to this instance: only the contacts come back from their changelog) finds every open window's
 * deadline again, from the rebuild's punctuation ({@link IndexRebuildTopologyTest} shows the task running meanwhile).
 */
class DeadlineRebuildTest {

    static final String PHONE_NUMBER_ID = "106540352242922";
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final String REGISTRY = "window-deadline-rebuild-test";

    final MockProcessorContext<String, WindowOutput> context = new MockProcessorContext<>();
    final KeyValueStore<String, StoredContact> contacts = store(Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(StoreNames.CONTACTS),
            Serdes.String(),
            SpecificAvroSerde.forValues(StoredContact.class, Map.of("schema.registry.url", "mock://" + REGISTRY))));
    final KeyValueStore<Bytes, byte[]> deadlines = store(Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(StoreNames.DEADLINES), Serdes.Bytes(), Serdes.ByteArray()));
    final KeyValueStore<String, Long> openCounts = store(Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(StoreNames.OPEN_COUNTS), Serdes.String(), Serdes.Long()));
    final WindowRules rules = new WindowRules(TrackingDriver.SETTINGS.policy());

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(REGISTRY);
    }

    @Test
    void aTaskStartingWithContactsButNoIndexPutsTheirDeadlinesBackAndClosesTheWindowsOnTime() {
        ContactState ana = openedBy("US.ana", T0);
        ContactState bea = openedBy("US.bea", T0.plus(Duration.ofHours(3)));
        ContactState closed = rules.onMetaClose(openedBy("US.cid", T0), new MetaClose(T0.plusSeconds(60)))
                .after();
        store(ana, bea, closed);
        assertThat(count(deadlines)).isZero();

        WindowProcessor processor =
                new WindowProcessor(TrackingDriver.SETTINGS, new WindowMetrics(new SimpleMeterRegistry()));
        processor.init(context);
        assertThat(count(deadlines)).as("nothing is read before the task runs").isZero();
        // The rebuild's punctuation (scheduled first); at its default pace one slice reads these three contacts.
        context.scheduledPunctuators().getFirst().getPunctuator().punctuate(T0.toEpochMilli());

        // One entry per open window, at its next deadline; none for the closed one.
        assertThat(count(deadlines)).isEqualTo(2);
        assertThat(deadlines.get(WindowDeadlines.key(key("US.ana"), DeadlineRules.nextDeadline(ana))))
                .isNotNull();
        assertThat(deadlines.get(WindowDeadlines.key(key("US.bea"), DeadlineRules.nextDeadline(bea))))
                .isNotNull();

        punctuateAt(processor, T0.plus(Duration.ofHours(23)));
        assertThat(eventsSinceLastLook()).containsExactly("US.ana CLOSING_SOON " + T0.plus(Duration.ofHours(23)));
        punctuateAt(processor, T0.plus(Duration.ofHours(24)));
        assertThat(eventsSinceLastLook()).containsExactly("US.ana CLOSED " + T0.plus(Duration.ofHours(24)));
        punctuateAt(processor, T0.plus(Duration.ofHours(26)));
        assertThat(eventsSinceLastLook()).containsExactly("US.bea CLOSING_SOON " + T0.plus(Duration.ofHours(26)));
        punctuateAt(processor, T0.plus(Duration.ofHours(27)));
        assertThat(eventsSinceLastLook()).containsExactly("US.bea CLOSED " + T0.plus(Duration.ofHours(27)));
        assertThat(count(deadlines)).isZero();
    }

    private void punctuateAt(WindowProcessor processor, Instant now) {
        context.setCurrentSystemTimeMs(now.toEpochMilli());
        processor.punctuate(now.toEpochMilli());
    }

    private ContactState openedBy(String contactId, Instant at) {
        return rules.onCustomerMessage(
                        null,
                        new ContactKey(PHONE_NUMBER_ID, contactId),
                        new CustomerMessage(
                                "wamid." + contactId, at, InboundMessageType.TEXT, false, false, contactId, null),
                        at)
                .after();
    }

    private void store(ContactState... states) {
        for (ContactState state : states) {
            contacts.put(key(state.identity().contactId()), ContactStateCodec.encode(state));
        }
    }

    /** The window events forwarded since the last call, as "contact type occurredAt". */
    private List<String> eventsSinceLastLook() {
        List<String> events = context.forwarded().stream()
                .map(CapturedForward::record)
                .filter(record -> record.value() instanceof WindowOutput.Event)
                .map(record -> ((WindowOutput.Event) record.value()).event())
                .map(event -> event.getContactId() + " " + event.getType() + " " + event.getOccurredAt())
                .toList();
        context.resetForwards();
        return events;
    }

    private static String key(String contactId) {
        return new ContactKey(PHONE_NUMBER_ID, contactId).format();
    }

    private <S extends KeyValueStore<?, ?>> S store(StoreBuilder<S> builder) {
        S store = builder.withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private static long count(KeyValueStore<Bytes, byte[]> store) {
        try (var all = store.all()) {
            long count = 0;
            while (all.hasNext()) {
                all.next();
                count++;
            }
            return count;
        }
    }
}
