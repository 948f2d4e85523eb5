package io.janela.metrics.topology;

import io.janela.avro.ContactAlias;
import io.janela.avro.ConversationResolution;
import io.janela.contract.ContactKey;
import io.janela.contract.TopicDescriptor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * whatsapp.conversation-resolutions as the conversation step reads it, keyed by contact. Company systems write it with
 * any key, naming the customer by business-scoped user id or by phone number; each record is keyed by its own contact
 * key ({@code {phoneNumberId}:{userId}}, else {@code {phoneNumberId}:{waId}}) and repartitioned, then those named by
 * phone number are resolved to their contact through whatsapp.contact-aliases ({@link ContactResolution}). The topic
 * itself may have any number of partitions: the repartition topic is created with the contact-keyed inputs' count
 * ({@code janela.metrics.topic-partitions}, which the service checks against them at start), so the resolutions meet
 * the contact's other records in one task.
 *
 * <p>A resolution without a phone number id or a customer is refused (to whatsapp.metrics.dead-letter).
 */
final class ResolutionInput {

    private ResolutionInput() {}

    static KStream<String, ConversationResolution> byContact(
            StreamsBuilder builder,
            TopicDescriptor<String, ConversationResolution> topic,
            GlobalKTable<String, ContactAlias> aliases,
            int partitions) {
        KStream<String, ConversationResolution> own = builder.stream(
                        topic.name(),
                        Consumed.with(topic.keySerde(), topic.valueSerde())
                                .withName("metrics-conversation-resolutions-source"))
                .selectKey((key, resolution) -> ownKey(resolution), Named.as("metrics-resolutions-own-key"))
                .repartition(Repartitioned.<String, ConversationResolution>as("metrics-resolutions-by-key")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(topic.valueSerde())
                        .withNumberOfPartitions(partitions));
        return ContactResolution.resolve(
                "resolutions",
                own,
                resolution -> blank(resolution.getRecipientUserId()),
                aliases,
                topic.valueSerde(),
                partitions);
    }

    /** The contact key the resolution names itself; throws for one that names no number or customer. */
    static String ownKey(ConversationResolution resolution) {
        if (resolution == null
                || blank(resolution.getPhoneNumberId())
                || (blank(resolution.getRecipientUserId()) && blank(resolution.getRecipientPhoneNumber()))) {
            throw new IllegalArgumentException(
                    "a conversation resolution must name a phone number id and a recipient user id or phone number");
        }
        String contactId = !blank(resolution.getRecipientUserId())
                ? resolution.getRecipientUserId().strip()
                : waId(resolution.getRecipientPhoneNumber());
        return new ContactKey(resolution.getPhoneNumberId().strip(), contactId).format();
    }

    /** Meta's wa_id of an E.164 number: its digits without the leading +. */
    private static String waId(String phoneNumber) {
        String stripped = phoneNumber.strip();
        return stripped.startsWith("+") ? stripped.substring(1) : stripped;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
