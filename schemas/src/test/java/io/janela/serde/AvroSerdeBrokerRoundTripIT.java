package io.janela.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.contract.ContactKey;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import io.janela.testsupport.kafka.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Records of two schemas go through a real broker and come back equal; a poison record is reported precisely. */
class AvroSerdeBrokerRoundTripIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private final String scope = "round-trip-" + UUID.randomUUID();
    private final String inboundTopic = "whatsapp.inbound-messages-" + UUID.randomUUID();
    private final String eventsTopic = "whatsapp.window-events-" + UUID.randomUUID();
    private final ContactKey contact = new ContactKey("106540352242922", "US.13491208655302741918");

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void roundTripsInboundMessagesAndWindowEventsThroughTheBroker() {
        kafka.broker().createTopics(new NewTopic(inboundTopic, 2, (short) 1), new NewTopic(eventsTopic, 2, (short) 1));
        InboundMessage message = InboundMessage.newBuilder()
                .setMessageId("wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTdCNTg5RjY1MEI2QjA4QjE2MAA=")
                .setPhoneNumberId(contact.phoneNumberId())
                .setContactId(contact.contactId())
                .setUserId(contact.contactId())
                .setWaId("16505551234")
                .setTimestamp(Instant.ofEpochSecond(1_749_416_383))
                .setType(InboundMessageType.TEXT)
                .setText("Does it come in another color?")
                .setRawJson("{\"id\":\"wamid...\",\"type\":\"text\"}")
                .build();
        WindowEvent opened = WindowEvent.newBuilder()
                .setEventId(contact + ":OPENED:1749416383000")
                .setType(WindowEventType.OPENED)
                .setPhoneNumberId(contact.phoneNumberId())
                .setContactId(contact.contactId())
                .setOccurredAt(message.getTimestamp())
                .setWindowOpenedAt(message.getTimestamp())
                .setWindowExpiresAt(message.getTimestamp().plus(Duration.ofHours(24)))
                .setFirstContact(true)
                .build();

        // Configured the way any company producer would be: class names and Confluent's keys, nothing else.
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG, "all",
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope))) {
            producer.send(new ProducerRecord<>(inboundTopic, contact.format(), message));
            producer.send(new ProducerRecord<>(eventsTopic, contact.format(), opened));
        }

        assertThat(readOne(inboundTopic, InboundMessage.class)).isEqualTo(message);
        assertThat(readOne(eventsTopic, WindowEvent.class)).isEqualTo(opened);
        assertThat(MockSchemaRegistry.forScope(scope)
                        .latest(inboundTopic + "-value")
                        .schema())
                .isEqualTo(InboundMessage.SCHEMA$);
    }

    @Test
    void reportsAPoisonRecordWithItsTopicPartitionAndOffset() {
        kafka.broker().createTopics(new NewTopic(inboundTopic, 1, (short) 1));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(inboundTopic, contact.format(), "{\"not\":\"avro\"}".getBytes()));
        }

        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class.getName(),
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope,
                AvroSerdeConfig.SPECIFIC_AVRO_READER, "true"))) {
            TopicPartition partition = new TopicPartition(inboundTopic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));

            assertThatThrownBy(() -> pollUntilFailure(consumer))
                    .isInstanceOfSatisfying(RecordDeserializationException.class, e -> {
                        assertThat(e.topicPartition()).isEqualTo(partition);
                        assertThat(e.offset()).isZero();
                        assertThat(e.getCause())
                                .isInstanceOf(SerializationException.class)
                                .hasMessageContaining("topic " + inboundTopic)
                                .hasMessageContaining("unknown magic byte");
                    });
        }
    }

    private <T extends org.apache.avro.specific.SpecificRecord> T readOne(String topic, Class<T> type) {
        AvroDeserializer<T> values = new AvroDeserializer<>(type);
        values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope), false);
        try (TopicReader<String, T> reader =
                TopicReader.open(kafka.bootstrapServers(), topic, new StringDeserializer(), values)) {
            List<ConsumerRecord<String, T>> records = reader.awaitRecords(1, Duration.ofSeconds(30));
            assertThat(records).hasSize(1);
            assertThat(records.getFirst().key()).isEqualTo(contact.format());
            return records.getFirst().value();
        }
    }

    private static void pollUntilFailure(KafkaConsumer<String, Object> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200));
        }
    }
}
