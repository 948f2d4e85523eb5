package io.janela.ingress.publish;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.CallDirection;
import io.janela.avro.CallEvent;
import io.janela.avro.CallEventType;
import io.janela.avro.DeliveryStatus;
import io.janela.avro.EchoMessageType;
import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.avro.MessageEcho;
import io.janela.avro.MessageStatus;
import io.janela.avro.PreferenceCategory;
import io.janela.avro.PreferenceValue;
import io.janela.avro.TemplateEvent;
import io.janela.avro.TemplateEventKind;
import io.janela.avro.UserPreference;
import io.janela.contract.DeadLetterHeaders;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.ingress.parse.DeadLetterReason;
import io.janela.ingress.parse.MappedRecord;
import io.janela.ingress.parse.RecordKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Turns parsed records and dead letters into the bytes Kafka gets, with the topics, key serdes and value serdes of
 * {@link JanelaTopics}. Serialising here, on the caller's thread and before anything is sent, means a schema registry
 * that cannot be reached fails the request up front, with nothing half-published.
 */
public final class OutgoingRecords {

    private static final int MAX_CAUSE_LENGTH = 2_000;

    private final JanelaTopics topics;
    private final Clock clock;
    private final String serviceName;

    public OutgoingRecords(JanelaTopics topics, Clock clock, String serviceName) {
        this.topics = topics;
        this.clock = clock;
        this.serviceName = serviceName;
    }

    /**
     * The record on its topic. Its Kafka timestamp is this service's clock at the time of the request, not Meta's
     * time of the event (which the value carries): Kafka's time-based retention counts from the record timestamp,
     * and Meta may deliver an item days after its date (retries for up to 7 days), or years after (history sync, a
     * clock far off). With Meta's time a record could be deleted minutes after its 200. Consumers read Meta's time
     * from the value.
     */
    public ProducerRecord<byte[], byte[]> serialize(MappedRecord record, Instant ingestedAt) {
        long timestamp = ingestedAt.toEpochMilli();
        return switch (record.kind()) {
            case INBOUND_MESSAGE ->
                serialize(topics.inboundMessages(), record, (InboundMessage) record.value(), timestamp);
            case MESSAGE_STATUS ->
                serialize(topics.messageStatuses(), record, (MessageStatus) record.value(), timestamp);
            case TEMPLATE_EVENT ->
                serialize(topics.templateEvents(), record, (TemplateEvent) record.value(), timestamp);
            case USER_PREFERENCE ->
                serialize(topics.userPreferences(), record, (UserPreference) record.value(), timestamp);
            case CALL_EVENT -> serialize(topics.callEvents(), record, (CallEvent) record.value(), timestamp);
            case MESSAGE_ECHO -> serialize(topics.messageEchoes(), record, (MessageEcho) record.value(), timestamp);
            case ACCOUNT_EVENT -> serialize(topics.accountEvents(), record, (AccountEvent) record.value(), timestamp);
        };
    }

    /**
     * Serialises (and discards) a minimal record of every type, so that each value serializer registers or looks up
     * its schema now rather than on the first webhook. Throws what the serializer throws when the registry cannot be
     * reached.
     */
    public void serializeSamples() {
        Instant epoch = Instant.EPOCH;
        serializeSample(
                topics.inboundMessages(),
                InboundMessage.newBuilder()
                        .setMessageId("schema-warm-up")
                        .setPhoneNumberId("0")
                        .setContactId("0")
                        .setTimestamp(epoch)
                        .setType(InboundMessageType.UNKNOWN)
                        .setRawJson("{}")
                        .build());
        serializeSample(
                topics.messageStatuses(),
                MessageStatus.newBuilder()
                        .setMessageId("schema-warm-up")
                        .setPhoneNumberId("0")
                        .setContactId("0")
                        .setStatus(DeliveryStatus.UNKNOWN)
                        .setTimestamp(epoch)
                        .setRawJson("{}")
                        .build());
        serializeSample(
                topics.templateEvents(),
                TemplateEvent.newBuilder()
                        .setKind(TemplateEventKind.UNKNOWN)
                        .setWabaId("0")
                        .setEventTime(epoch)
                        .setName("schema_warm_up")
                        .setLanguage("en")
                        .setRawJson("{}")
                        .build());
        serializeSample(
                topics.userPreferences(),
                UserPreference.newBuilder()
                        .setPhoneNumberId("0")
                        .setContactId("0")
                        .setCategory(PreferenceCategory.UNKNOWN)
                        .setValue(PreferenceValue.UNKNOWN)
                        .setTimestamp(epoch)
                        .setRawJson("{}")
                        .build());
        serializeSample(
                topics.callEvents(),
                CallEvent.newBuilder()
                        .setCallId("schema-warm-up")
                        .setPhoneNumberId("0")
                        .setContactId("0")
                        .setDirection(CallDirection.UNKNOWN)
                        .setEvent(CallEventType.UNKNOWN)
                        .setTimestamp(epoch)
                        .setRawJson("{}")
                        .build());
        serializeSample(
                topics.messageEchoes(),
                MessageEcho.newBuilder()
                        .setMessageId("schema-warm-up")
                        .setPhoneNumberId("0")
                        .setContactId("0")
                        .setType(EchoMessageType.UNKNOWN)
                        .setTimestamp(epoch)
                        .setRawJson("{}")
                        .build());
        serializeSample(
                topics.accountEvents(),
                AccountEvent.newBuilder()
                        .setKind(AccountEventKind.UNKNOWN)
                        .setField("schema-warm-up")
                        .setTimestamp(epoch)
                        .setRawJson("{}")
                        .build());
    }

    private static <V> void serializeSample(TopicDescriptor<String, V> topic, V value) {
        topic.valueSerde().serializer().serialize(topic.name(), value);
    }

    /** The topic records of this kind go to. */
    public String topicOf(RecordKind kind) {
        return switch (kind) {
            case INBOUND_MESSAGE -> topics.inboundMessages().name();
            case MESSAGE_STATUS -> topics.messageStatuses().name();
            case TEMPLATE_EVENT -> topics.templateEvents().name();
            case USER_PREFERENCE -> topics.userPreferences().name();
            case CALL_EVENT -> topics.callEvents().name();
            case MESSAGE_ECHO -> topics.messageEchoes().name();
            case ACCOUNT_EVENT -> topics.accountEvents().name();
        };
    }

    /**
     * The body as received, to whatsapp.webhooks.dead-letter, keyed by its SHA-256 (so that deliveries of the same
     * body share a partition and can be recognised as one), with why it is there in {@link DeadLetterHeaders}.
     *
     * @param cause a sentence naming positions and fields, never content
     * @param exception the class of the exception involved, or null
     */
    public ProducerRecord<byte[], byte[]> deadLetter(
            byte[] body, DeadLetterReason reason, String cause, String exception) {
        String boundedCause = cause.length() <= MAX_CAUSE_LENGTH ? cause : cause.substring(0, MAX_CAUSE_LENGTH) + "…";
        List<Header> headers = new ArrayList<>(5);
        headers.add(header(DeadLetterHeaders.REASON, reason.name()));
        headers.add(header(DeadLetterHeaders.CAUSE, boundedCause));
        if (exception != null) {
            headers.add(header(DeadLetterHeaders.EXCEPTION, exception));
        }
        headers.add(header(DeadLetterHeaders.SERVICE, serviceName));
        headers.add(header(DeadLetterHeaders.FAILED_AT, clock.instant().toString()));
        TopicDescriptor<byte[], byte[]> topic = topics.webhooksDeadLetter();
        return new ProducerRecord<>(
                topic.name(), null, clock.millis(), sha256Hex(body).getBytes(StandardCharsets.UTF_8), body, headers);
    }

    public String deadLetterTopic() {
        return topics.webhooksDeadLetter().name();
    }

    private static <V> ProducerRecord<byte[], byte[]> serialize(
            TopicDescriptor<String, V> topic, MappedRecord record, V value, long timestamp) {
        byte[] key = topic.keySerde().serializer().serialize(topic.name(), record.key());
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        return new ProducerRecord<>(topic.name(), null, timestamp, key, bytes);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
