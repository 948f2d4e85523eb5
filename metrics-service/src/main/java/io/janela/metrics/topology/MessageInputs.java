package io.janela.metrics.topology;

import io.janela.avro.DispatchResult;
import io.janela.avro.MessageStatus;
import io.janela.contract.TopicDescriptor;
import io.janela.metrics.conversation.BusinessMessage;
import io.janela.metrics.state.BusinessMessageHandover;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The message step's way in and out. Its inputs come keyed by contact, and one message's records do not all name the
 * same contact: a campaign message to a number that never wrote has its dispatch result keyed by phone number (no alias
 * to resolve it yet) and its statuses by the business-scoped user id Meta names. So each input is re-keyed by message
 * ({@code MessageKeys}) and repartitioned, and the records of one message meet in one task, in whatever order they
 * come. The business messages the step gives (those of messages no dispatch result named: a SENT result goes to the
 * conversation step by itself, in its contact's task) go back through a second repartition, keyed by contact. The three topics (named; the service runs with explicit internal naming) are
 * {@code janela-metrics-metrics-statuses-by-message-repartition}, {@code …-metrics-dispatch-results-by-message-…} and
 * {@code …-metrics-business-messages-by-contact-…}.
 *
 * <p>The message step is a subtopology of its own, which reads the two by-message topics and writes the by-contact
 * one. All three are created with the contact-keyed inputs' partition count ({@code janela.metrics.topic-partitions},
 * which the service checks the inputs against at start): Kafka Streams would otherwise size each from the topics of
 * the subtopology that writes it, and with no join between them nothing would check that a message's status and its
 * result, or a business message handed back and its contact, meet in one task.
 */
final class MessageInputs {

    private MessageInputs() {}

    /** Statuses and dispatch results, still keyed by contact, as one task reads them ({@link #inOneTask}). */
    record InOneTask(KStream<String, MessageStatus> statuses, KStream<String, DispatchResult> results) {}

    /**
     * Statuses and dispatch results pass one node before they are re-keyed by message, so that one task reads both,
     * in timestamp order. Nothing else ties them since the aliases are a global store: in subtopologies of their own,
     * the statuses (little work) would run ahead of the results (read with the conversation step) in a backlog, and the
     * message step would see a message's statuses more than the settle delay before its result (measured: up to 4,856
     * of 40,000 messages in the benchmark's backlog, whose business messages were then handed over without their
     * result, against none in one task).
     */
    static InOneTask inOneTask(KStream<String, MessageStatus> statuses, KStream<String, DispatchResult> results) {
        Map<String, KStream<String, Object>> branches = MetricsTopology.widen(statuses)
                .merge(MetricsTopology.widen(results), Named.as("metrics-statuses-and-results"))
                .split(Named.as("metrics-statuses-and-results-"))
                .branch((key, value) -> value instanceof MessageStatus, Branched.as("statuses"))
                .defaultBranch(Branched.as("dispatch-results"));
        return new InOneTask(
                narrow(branches.get("metrics-statuses-and-results-statuses")),
                narrow(branches.get("metrics-statuses-and-results-dispatch-results")));
    }

    /** A branch whose values are all of {@code V}: they are only read as such, never written back as objects. */
    @SuppressWarnings("unchecked")
    private static <V> KStream<String, V> narrow(KStream<String, Object> stream) {
        return (KStream<String, V>) (KStream<String, ?>) stream;
    }

    /**
     * Records keyed by contact, re-keyed by message: each names in its value the contact its key named ({@code
     * naming}) and goes to the partition of {@code messageKey}.
     *
     * @param name the record kind, in the node and topic names
     */
    static <V> KStream<String, V> byMessage(
            String name,
            KStream<String, V> byContact,
            Function<V, String> messageKey,
            BiFunction<String, V, V> naming,
            TopicDescriptor<String, V> topic,
            int partitions) {
        String prefix = "metrics-" + name + "-";
        return byContact
                .map(
                        (contactKey, value) -> KeyValue.pair(messageKey.apply(value), naming.apply(contactKey, value)),
                        Named.as(prefix + "message-key"))
                .repartition(Repartitioned.<String, V>as(prefix + "by-message")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(topic.valueSerde())
                        .withNumberOfPartitions(partitions));
    }

    /** The business messages the message step forwarded keyed by contact, on the contact's partition. */
    static KStream<String, BusinessMessage> byContact(
            KStream<String, Object> businessMessages, Serde<BusinessMessageHandover> serde, int partitions) {
        return businessMessages
                .mapValues(
                        value -> ((BusinessMessage) value).handover(), Named.as("metrics-business-messages-handover"))
                .repartition(Repartitioned.<String, BusinessMessageHandover>as("metrics-business-messages-by-contact")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(serde)
                        .withNumberOfPartitions(partitions))
                .mapValues(BusinessMessage::of, Named.as("metrics-business-messages-handed-over"));
    }
}
