package io.janela.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.avro.ContactAlias;
import io.janela.serde.registry.MockSchemaRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registration and reading modes that Confluent's configuration keys select. */
class AvroSerdeModesTest {

    private static final String TOPIC = "whatsapp.contact-aliases";
    private static final String SUBJECT = TOPIC + "-value";

    private final String scope = "modes-" + UUID.randomUUID();
    private final ContactAlias alias = ContactAlias.newBuilder()
            .setPhoneNumberId("106540352242922")
            .setWaId("16505551234")
            .setContactId("US.1")
            .setSeenAt(Instant.parse("2026-11-21T10:00:00Z"))
            .build();

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void registersTheSchemaUnderTheTopicValueSubjectByDefault() {
        serializer(Map.of()).serialize(TOPIC, alias);

        assertThat(MockSchemaRegistry.forScope(scope).latest(SUBJECT).schema()).isEqualTo(ContactAlias.SCHEMA$);
    }

    @Test
    void usesTheTopicKeySubjectForKeys() {
        AvroSerializer<ContactAlias> keys = new AvroSerializer<>();
        keys.configure(config(Map.of()), true);

        keys.serialize(TOPIC, alias);

        assertThat(MockSchemaRegistry.forScope(scope).latest(TOPIC + "-key").id())
                .isEqualTo(1);
    }

    @Test
    void looksTheSchemaUpWithoutRegisteringWhenAutoRegisterIsOff() {
        AvroSerializer<ContactAlias> serializer = serializer(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"));

        assertThatThrownBy(() -> serializer.serialize(TOPIC, alias))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("subject " + SUBJECT)
                .hasMessageContaining("not found");

        int id = MockSchemaRegistry.forScope(scope).register(SUBJECT, ContactAlias.SCHEMA$);
        assertThat(WireFormat.schemaId(serializer.serialize(TOPIC, alias), TOPIC))
                .isEqualTo(id);
    }

    @Test
    void writesWithTheLatestVersionWhenAskedAndConvertsTheRecordIntoIt() {
        // The registry's latest version has one more field, with a default, than the record's class.
        Schema newer = new Schema.Parser()
                .parse(ContactAlias.SCHEMA$
                        .toString()
                        .replace(
                                "\"fields\":[",
                                "\"fields\":[{\"name\":\"label\",\"type\":\"string\",\"default\":\"none\"},"));
        MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);
        registry.register(SUBJECT, ContactAlias.SCHEMA$);
        int newerId = registry.register(SUBJECT, newer);

        byte[] bytes = serializer(Map.of(
                        AvroSerdeConfig.USE_LATEST_VERSION, "true", AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"))
                .serialize(TOPIC, alias);

        assertThat(WireFormat.schemaId(bytes, TOPIC)).isEqualTo(newerId);
        GenericRecord read = genericDeserializer().deserialize(TOPIC, bytes);
        assertThat(read.get("label")).hasToString("none");
        assertThat(read.get("contactId")).hasToString("US.1");
    }

    @Test
    void refusesToWriteWithALatestVersionThatCannotHoldTheRecord() {
        Schema unrelated = new Schema.Parser().parse("""
                {"type": "record", "name": "ContactAlias", "namespace": "io.janela.avro",
                 "fields": [{"name": "other", "type": "int"}]}
                """);
        MockSchemaRegistry.forScope(scope).register(SUBJECT, unrelated);

        assertThatThrownBy(() -> serializer(Map.of(AvroSerdeConfig.USE_LATEST_VERSION, "true"))
                        .serialize(TOPIC, alias))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("latest.compatibility.strict");
    }

    @Test
    void readsGeneratedClassesWhenSpecificReaderIsConfigured() {
        byte[] bytes = serializer(Map.of()).serialize(TOPIC, alias);
        AvroDeserializer<Object> configured = new AvroDeserializer<>();
        configured.configure(config(Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER, "true")), false);

        assertThat(configured.deserialize(TOPIC, bytes)).isEqualTo(alias);
    }

    @Test
    void readsGenericRecordsByDefault() {
        byte[] bytes = serializer(Map.of()).serialize(TOPIC, alias);

        GenericRecord read = genericDeserializer().deserialize(TOPIC, bytes);

        assertThat(read).isNotInstanceOf(ContactAlias.class);
        assertThat(read.get("waId")).hasToString("16505551234");
        assertThat(read.get("seenAt")).as("generic records carry the raw long").isEqualTo(1_795_255_200_000L);
    }

    @Test
    void isConfiguredByClassNameAsKafkaDoes() throws ReflectiveOperationException {
        @SuppressWarnings("unchecked")
        org.apache.kafka.common.serialization.Serializer<ContactAlias> byName =
                (org.apache.kafka.common.serialization.Serializer<ContactAlias>)
                        Class.forName("io.janela.serde.AvroSerializer")
                                .getConstructor()
                                .newInstance();
        byName.configure(config(Map.of()), false);

        assertThat(byName.serialize(TOPIC, alias)).startsWith(0, 0, 0, 0, 1);
    }

    private AvroSerializer<ContactAlias> serializer(Map<String, Object> extra) {
        AvroSerializer<ContactAlias> serializer = new AvroSerializer<>();
        serializer.configure(config(extra), false);
        return serializer;
    }

    private AvroDeserializer<GenericRecord> genericDeserializer() {
        AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>();
        deserializer.configure(config(Map.of()), false);
        return deserializer;
    }

    private Map<String, Object> config(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);
        return config;
    }
}
