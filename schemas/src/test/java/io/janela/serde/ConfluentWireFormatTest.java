package io.janela.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.avro.ContactAlias;
import io.janela.avro.ContactWindow;
import io.janela.avro.WindowStatus;
import io.janela.serde.registry.MockSchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Byte-for-byte compatibility with Confluent's serde. The expected bytes are derived by hand from the public
 * specifications, not from any serializer: Confluent's wire format is magic byte 0, a 4-byte big-endian schema id,
 * then the Avro binary encoding, in which a long is a zig-zag varint, a string is its byte length (a long) followed by
 * UTF-8, and a union is the branch index (a long) followed by the value.
 */
class ConfluentWireFormatTest {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static final String TOPIC = "whatsapp.contact-aliases";

    private final String scope = "wire-format-" + UUID.randomUUID();
    private final Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void framesAGenericRecordAsMagicByteSchemaIdAndAvroBody() {
        Schema probe = new Schema.Parser().parse("""
                {"type": "record", "name": "Probe", "namespace": "test", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "count", "type": "long"},
                  {"name": "note", "type": ["null", "string"], "default": null}]}
                """);
        GenericRecord record = new GenericData.Record(probe);
        record.put("id", "a");
        record.put("count", -1L);

        byte[] bytes = serializer().serialize("probes", record);

        // 00 | 00 00 00 01 (first id of an empty registry) | 02 61 ("a": length 1 → zig-zag 2) | 01 (-1 → zig-zag 1)
        // | 00 (union branch 0: null)
        assertThat(HEX.formatHex(bytes)).isEqualTo("00 00 00 00 01 02 61 01 00");
    }

    @Test
    void framesAGeneratedRecordWithItsLogicalTypesAsPlainAvro() {
        ContactAlias alias = ContactAlias.newBuilder()
                .setPhoneNumberId("106540352242922")
                .setWaId("16505551234")
                .setContactId("US.13491208655302741918")
                .setSeenAt(Instant.ofEpochSecond(1_749_416_383))
                .build();

        byte[] bytes = serializer().serialize(TOPIC, alias);

        String expected = String.join(
                " ",
                "00 00 00 00 01",
                "1e 31 30 36 35 34 30 33 35 32 32 34 32 39 32 32", // 15 bytes "106540352242922"
                "16 31 36 35 30 35 35 35 31 32 33 34", // 11 bytes "16505551234"
                "2e 55 53 2e 31 33 34 39 31 32 30 38 36 35 35 33 30 32 37 34 31 39 31 38", // 23 bytes
                "b0 c8 bc 95 ea 65"); // timestamp-millis 1749416383000 as a zig-zag varint
        assertThat(HEX.formatHex(bytes)).isEqualTo(expected);
    }

    @Test
    void readsARecordFramedByAnotherProducerWithAnOlderSchema() throws IOException {
        // Another producer wrote with an older ContactWindow that had three fields; it registered that schema itself.
        Schema older = new Schema.Parser().parse("""
                {"type": "record", "name": "ContactWindow", "namespace": "io.janela.avro", "fields": [
                  {"name": "phoneNumberId", "type": "string"},
                  {"name": "contactId", "type": "string"},
                  {"name": "status", "type": {"type": "enum", "name": "WindowStatus",
                     "symbols": ["OPEN", "CLOSED", "UNKNOWN"], "default": "UNKNOWN"}}]}
                """);
        int olderId = MockSchemaRegistry.forScope(scope).register("whatsapp.window-state-value", older);
        GenericRecord written = new GenericData.Record(older);
        written.put("phoneNumberId", "106540352242922");
        written.put("contactId", "US.1");
        written.put(
                "status", new GenericData.EnumSymbol(older.getField("status").schema(), "OPEN"));
        byte[] framed = frame(olderId, older, written);

        AvroDeserializer<ContactWindow> deserializer = new AvroDeserializer<>(ContactWindow.class);
        deserializer.configure(config, false);
        ContactWindow read = deserializer.deserialize("whatsapp.window-state", framed);

        assertThat(read.getPhoneNumberId()).isEqualTo("106540352242922");
        assertThat(read.getContactId()).isEqualTo("US.1");
        assertThat(read.getStatus()).isEqualTo(WindowStatus.OPEN);
        assertThat(read.getWindowsOpened())
                .as("a field the writer did not have takes its default")
                .isZero();
        assertThat(read.getExpiresAt()).isNull();
    }

    @Test
    void roundTripsAGeneratedRecord() {
        ContactAlias alias = ContactAlias.newBuilder()
                .setPhoneNumberId("1")
                .setWaId("2")
                .setContactId("US.3")
                .setSeenAt(Instant.parse("2026-11-21T10:15:30.123Z"))
                .build();
        AvroDeserializer<ContactAlias> deserializer = new AvroDeserializer<>(ContactAlias.class);
        deserializer.configure(config, false);

        assertThat(deserializer.deserialize(TOPIC, serializer().serialize(TOPIC, alias)))
                .isEqualTo(alias);
    }

    @Test
    void refusesBytesThatDoNotStartWithTheMagicByte() {
        AvroDeserializer<ContactAlias> deserializer = new AvroDeserializer<>(ContactAlias.class);
        deserializer.configure(config, false);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, "{\"json\": true}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic " + TOPIC)
                .hasMessageContaining("unknown magic byte 123");
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 bytes, fewer than the 5-byte header");
    }

    @Test
    void refusesAnUnknownSchemaIdNamingItAndTheTopic() {
        AvroDeserializer<ContactAlias> deserializer = new AvroDeserializer<>(ContactAlias.class);
        deserializer.configure(config, false);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 0, 0, 42, 2, 97}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema with id 42")
                .hasMessageContaining("topic " + TOPIC)
                .satisfies(e -> assertThat(AvroDeserializer.isTransientRegistryFailure(e))
                        .as("an unknown id is the record's fault, not the registry's")
                        .isFalse());
    }

    @Test
    void refusesBytesThatAreNotTheEncodingOfTheirSchema() {
        byte[] valid = serializer()
                .serialize(
                        TOPIC,
                        ContactAlias.newBuilder()
                                .setPhoneNumberId("1")
                                .setWaId("2")
                                .setContactId("3")
                                .setSeenAt(Instant.EPOCH)
                                .build());
        byte[] trailing = Arrays.copyOf(valid, valid.length + 2);
        byte[] truncated = Arrays.copyOf(valid, valid.length - 3);
        AvroDeserializer<ContactAlias> deserializer = new AvroDeserializer<>(ContactAlias.class);
        deserializer.configure(config, false);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, trailing))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("bytes left after the record");
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Could not decode a record on topic " + TOPIC + " with schema id 1");
    }

    @Test
    void passesNullThroughForTombstones() {
        AvroDeserializer<ContactAlias> deserializer = new AvroDeserializer<>(ContactAlias.class);
        deserializer.configure(config, false);

        assertThat(serializer().serialize(TOPIC, null)).isNull();
        assertThat(deserializer.deserialize(TOPIC, null)).isNull();
    }

    private <T extends org.apache.avro.generic.IndexedRecord> AvroSerializer<T> serializer() {
        AvroSerializer<T> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        return serializer;
    }

    private static byte[] frame(int schemaId, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {
            0, (byte) (schemaId >>> 24), (byte) (schemaId >>> 16), (byte) (schemaId >>> 8), (byte) schemaId
        });
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
