package io.janela.metrics.conversation;

import io.janela.metrics.sla.SlaSettings;
import io.janela.metrics.state.ConversationState;
import io.janela.metrics.streams.MeasurementSettings;
import io.janela.metrics.streams.StreamsMeters;
import io.janela.streams.DeadlineIndex;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The conversation step of the measurement topology: takes customer messages ({@code InboundMessage}), window events
 * ({@code WindowEvent}) and {@link BusinessMessage}s keyed by contact, and gives response times, first responses and
 * windows opened and closed.
 */
public final class ConversationStream implements ProcessorSupplier<String, Object, String, SpecificRecord> {

    private final Serde<ConversationState> stateSerde;
    private final MeasurementSettings settings;
    private final StreamsMeters meters;
    private final SlaSettings sla;

    public ConversationStream(
            Serde<ConversationState> stateSerde, MeasurementSettings settings, StreamsMeters meters, SlaSettings sla) {
        this.stateSerde = stateSerde;
        this.settings = settings;
        this.meters = meters;
        this.sla = sla;
    }

    /** The store names, for interactive queries and documentation. */
    public static String conversationStore() {
        return ConversationStores.DEFAULT.conversations();
    }

    @Override
    public Processor<String, Object, String, SpecificRecord> get() {
        return new ConversationProcessor(ConversationStores.DEFAULT, settings, meters, sla);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(ConversationStores.DEFAULT.conversations()),
                                Serdes.String(),
                                stateSerde)
                        .withCachingEnabled(),
                DeadlineIndex.storeBuilder(ConversationStores.DEFAULT.deadlines()));
    }
}
