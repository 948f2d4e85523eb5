package io.janela.streams;

import io.janela.avro.ContactAlias;
import io.janela.contract.ContactKey;
import io.janela.contract.TopicDescriptor;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Topology pieces the contact-keyed Kafka Streams services share (window, survey, metrics): reading contract topics with
 * their serdes (writing them: {@link OutputRoutes}), the global copy of whatsapp.contact-aliases, and moving records keyed by a phone number
 * ({@code {phoneNumberId}:{waId}}) to the task that owns their contact. Every node gets the name it is given, so a
 * service's topology keeps its names (and its internal topics) whichever of these builds it.
 */
public final class ContactStreams {

    private ContactStreams() {}

    /** A stream of a contract topic, its source node named {@code name-source}. */
    public static <V> KStream<String, V> source(StreamsBuilder builder, TopicDescriptor<String, V> topic, String name) {
        return builder.stream(
                topic.name(),
                Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name + "-source"));
    }

    /** The global store of whatsapp.contact-aliases: {@code {phoneNumberId}:{waId}} → the contact it names. */
    public static GlobalKTable<String, ContactAlias> aliases(
            StreamsBuilder builder, TopicDescriptor<String, ContactAlias> topic, String sourceName, String storeName) {
        return builder.globalTable(
                topic.name(),
                Consumed.with(topic.keySerde(), topic.valueSerde()).withName(sourceName),
                Materialized.<String, ContactAlias, KeyValueStore<Bytes, byte[]>>as(storeName)
                        .withKeySerde(topic.keySerde())
                        .withValueSerde(topic.valueSerde()));
    }

    /**
     * Records keyed by contact go on as they are; those {@code keyedByPhoneNumber} are looked up in the global alias
     * store and moved, through the repartition topic {@code repartitioned} names, to the task that owns the contact
     * found (or by their own key, when the contact has no other identity). With {@code repartitionAll}, the records
     * keyed by contact go through that topic too (for an input whose records arrive with any key).
     *
     * <p>Nodes: {@code name-} (the split, branches {@code by-phone-number} and {@code by-contact}),
     * {@code name-alias-lookup}, {@code name-rekey}, {@code name-merge}.
     */
    public static <V> KStream<String, V> byContact(
            KStream<String, V> records,
            GlobalKTable<String, ContactAlias> aliases,
            Predicate<V> keyedByPhoneNumber,
            String name,
            Repartitioned<String, V> repartitioned,
            boolean repartitionAll) {
        Map<String, KStream<String, V>> branches = records.split(Named.as(name + "-"))
                .branch((key, value) -> keyedByPhoneNumber.test(value), Branched.as("by-phone-number"))
                .defaultBranch(Branched.as("by-contact"));
        KStream<String, V> resolved = branches.get(name + "-by-phone-number")
                .leftJoin(
                        aliases,
                        (phoneKey, value) -> phoneKey,
                        (phoneKey, value, alias) -> KeyValue.pair(contactKeyOf(phoneKey, alias), value),
                        Named.as(name + "-alias-lookup"))
                .map((phoneKey, pair) -> pair, Named.as(name + "-rekey"));
        KStream<String, V> byContact = branches.get(name + "-by-contact");
        if (repartitionAll) {
            return byContact.merge(resolved, Named.as(name + "-merge")).repartition(repartitioned);
        }
        return byContact.merge(resolved.repartition(repartitioned), Named.as(name + "-merge"));
    }

    /**
     * The contact key an alias names, or the phone-number key itself when there is no alias (or one naming no
     * contact: a record must never be moved to a key without a contact).
     */
    public static String contactKeyOf(String phoneKey, ContactAlias alias) {
        if (alias == null
                || alias.getContactId() == null
                || alias.getContactId().isBlank()) {
            return phoneKey;
        }
        return new ContactKey(alias.getPhoneNumberId(), alias.getContactId()).format();
    }
}
