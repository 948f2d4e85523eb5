package io.janela.metrics.message;

import io.janela.avro.DispatchResult;
import io.janela.metrics.conversation.BusinessMessage;
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
 * by message ({@link MessageKeys}), and gives delivery and read latencies, failures, messages sent, Meta's pricing beside the predicted
 * one, and a {@code BusinessMessage} for the conversation step of each message no dispatch result named.
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

    /**
     * The business message a SENT dispatch result is, at dispatch's send time with the request's origin, team and
     * agent. The conversation step takes it from the result itself, in the task of the contact the result is keyed
     * by: a contact's replies reach it in the order their results come, as its customer messages do, and not after a
     * detour through the tasks of their messages.
     */
    public static BusinessMessage businessMessage(DispatchResult sent) {
        return new BusinessMessage(
                DispatchMeasurements.messageId(sent),
                DispatchMeasurements.sentAt(sent),
                ResponderKinds.of(sent.getOrigin()),
                0,
                sent.getTeam(),
                sent.getAgentId());
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
