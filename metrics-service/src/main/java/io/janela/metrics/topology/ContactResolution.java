package io.janela.metrics.topology;

import io.janela.avro.ContactAlias;
import io.janela.streams.ContactStreams;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * Brings records keyed by a phone number to the contact they belong to. Meta's {@code failed} status of a message
 * sent to a phone number carries no business-scoped user id, so ingress keys it {@code {phoneNumberId}:{waId}};
 * dispatch keys a result it could not resolve {@code {phoneNumberId}:{recipient}}. The message's other statuses, its
 * dispatch result and the contact's window events are keyed by the business-scoped id. Such records are looked up in
 * the global copy of the compacted whatsapp.contact-aliases (key {@code {phoneNumberId}:{waId}}, kept by the
 * window-service), re-keyed to {@code {phoneNumberId}:{contactId}} and repartitioned through
 * {@code metrics-{name}-resolved}, so that they meet the rest of their message and contact in one task. Without an
 * alias (a number that never wrote in), the record keeps its key: its contact is known by phone number only,
 * everywhere.
 *
 * <p>Only those records take the detour; the others keep their partition. The repartition topic gets the inputs'
 * partition count explicitly: nothing in Kafka Streams checks it against the topics it meets (no join). The alias store is global (every instance
 * holds all of it, loaded before processing starts), as in the window and survey services: a lookup needs no
 * co-partitioning and no task reads the alias topic, so the task's ready check before each record does not walk it
 * and the service can run with {@code max.task.idle.ms} −1 (README "Configuration").
 */
final class ContactResolution {

    private ContactResolution() {}

    /**
     * Returns {@code records} with those that {@code keyedByPhoneNumber} selects resolved to their contact.
     *
     * @param name a short name for the record kind, used in every node and topic name of this step
     * @param partitions the contact-keyed inputs' partition count, which the repartition topic is given
     */
    static <V> KStream<String, V> resolve(
            String name,
            KStream<String, V> records,
            Predicate<V> keyedByPhoneNumber,
            GlobalKTable<String, ContactAlias> aliases,
            Serde<V> valueSerde,
            int partitions) {
        String prefix = "metrics-" + name;
        return ContactStreams.byContact(
                records,
                aliases,
                keyedByPhoneNumber,
                prefix,
                Repartitioned.<String, V>as(prefix + "-resolved")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(valueSerde)
                        .withNumberOfPartitions(partitions),
                false);
    }
}
