package io.janela.metrics.message;

import io.janela.metrics.state.MessageState;
import io.janela.metrics.streams.MeasurementSettings;
import io.janela.metrics.streams.StreamsMeters;
import io.janela.streams.DeadlineIndex;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The message step of the measurement topology: takes {@code MessageStatus} and {@code DispatchResult} records keyed
 * by contact, and gives delivery and read latencies, failures, messages sent, Meta's pricing beside the predicted
 * one, and one {@code BusinessMessage} per message for the conversation step.
 */
public final class MessageStream implements ProcessorSupplier<String, Object, String, Object> {

    private final Serde<MessageState> stateSerde;
    private final MeasurementSettings settings;
    private final StreamsMeters meters;

    public MessageStream(Serde<MessageState> stateSerde, MeasurementSettings settings, StreamsMeters meters) {
        this.stateSerde = stateSerde;
        this.settings = settings;
        this.meters = meters;
    }

    @Override
    public Processor<String, Object, String, Object> get() {
        return new MessageProcessor(MessageStores.DEFAULT, settings, meters);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(MessageStores.DEFAULT.messages()),
                                Serdes.String(),
                                stateSerde)
                        .withCachingEnabled(),
                DeadlineIndex.storeBuilder(MessageStores.DEFAULT.deadlines()));
    }
}
