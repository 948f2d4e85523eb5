package io.janela.metrics.topology;

import io.janela.avro.ContactAlias;
import io.janela.contract.ContactKey;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * Brings records keyed by a phone number to the contact they belong to. Meta's {@code failed} status of a message
 * sent to a phone number carries no business-scoped user id, so ingress keys it {@code {phoneNumberId}:{waId}};
 * dispatch keys a result it could not resolve {@code {phoneNumberId}:{recipient}}. The message's other statuses, its
 * dispatch result and the contact's window events are keyed by the business-scoped id. Such records are joined with
 * the compacted whatsapp.contact-aliases (key {@code {phoneNumberId}:{waId}}, kept by the window-service), re-keyed
 * to {@code {phoneNumberId}:{contactId}} and repartitioned, so that they meet the rest of their message and contact in
 * one task. Without an alias (a number that never wrote in), the record keeps its key: its contact is known by phone
 * number only, everywhere.
 *
 * <p>Only those records take the detour; the others keep their partition. The join needs the resolved topics and
 * contact-aliases co-partitioned (same partition count), which Kafka Streams checks at start-up.
 */
final class ContactResolution {

    private ContactResolution() {}

    /**
     * Returns {@code records} with those that {@code keyedByPhoneNumber} selects resolved to their contact.
     *
     * @param name a short name for the record kind, used in every node and topic name of this step
     */
    static <V> KStream<String, V> resolve(
            String name,
            KStream<String, V> records,
            Predicate<V> keyedByPhoneNumber,
            KTable<String, ContactAlias> aliases,
            Serde<V> valueSerde,
            Serde<ContactAlias> aliasSerde) {
        String prefix = "metrics-" + name + "-";
        Map<String, KStream<String, V>> branches = records.split(Named.as(prefix))
                .branch((key, value) -> keyedByPhoneNumber.test(value), Branched.as("by-phone-number"))
                .defaultBranch(Branched.as("by-contact"));
        KStream<String, V> resolved = branches.get(prefix + "by-phone-number")
                .leftJoin(
                        aliases,
                        (key, value, alias) -> KeyValue.pair(contactKey(key, alias), value),
                        Joined.<String, V, ContactAlias>with(Serdes.String(), valueSerde, aliasSerde)
                                .withName(prefix + "alias-join"))
                .map((key, pair) -> pair, Named.as(prefix + "to-contact"))
                .repartition(Repartitioned.<String, V>as(prefix + "resolved")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(valueSerde));
        return branches.get(prefix + "by-contact").merge(resolved, Named.as(prefix + "merge-resolved"));
    }

    private static String contactKey(String key, ContactAlias alias) {
        if (alias == null
                || alias.getContactId() == null
                || alias.getContactId().isBlank()) {
            return key;
        }
        return new ContactKey(ContactKey.parse(key).phoneNumberId(), alias.getContactId()).format();
    }
}
