package io.janela.dispatch.decision;

import io.janela.avro.OutboundRequest;
import io.janela.serde.AvroDeserializer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Reads whatsapp.outbound-requests without ever failing on a bad record: a record the value serde cannot read becomes
 * {@link Intake.Undecodable}, which the intake dead-letters and answers REJECTED when its request id can be read. The
 * one failure passed on is a schema registry that cannot be reached: the record is fine, so Streams' deserialization
 * handler defers it and it is read again.
 */
final class IntakeSerde implements Serde<Intake> {

    private static final int WIRE_HEADER = 5;
    private static final int FIELD_LIMIT = 512;

    private final Deserializer<OutboundRequest> values;

    IntakeSerde(Serde<OutboundRequest> values) {
        this.values = values.deserializer();
    }

    @Override
    public Serializer<Intake> serializer() {
        return (topic, intake) -> {
            throw new UnsupportedOperationException("intake records are only read");
        };
    }

    @Override
    public Deserializer<Intake> deserializer() {
        return new Deserializer<>() {
            @Override
            public Intake deserialize(String topic, byte[] data) {
                return deserialize(topic, null, data);
            }

            @Override
            public Intake deserialize(String topic, Headers headers, byte[] data) {
                if (data == null) {
                    return new Intake.Undecodable(
                            new byte[0],
                            new SerializationException("a record without a value (tombstone)"),
                            null,
                            null);
                }
                try {
                    OutboundRequest request = values.deserialize(topic, headers, data);
                    return request == null
                            ? new Intake.Undecodable(data, new SerializationException("no value"), null, null)
                            : new Intake.Decoded(request, data);
                } catch (RuntimeException e) {
                    if (AvroDeserializer.isTransientRegistryFailure(e)) {
                        throw e;
                    }
                    String[] fields = leadingStrings(data);
                    return new Intake.Undecodable(data, e, fields[0], fields[1]);
                }
            }

            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                // the value deserializer came configured
            }
        };
    }

    /**
     * The first two fields of an OutboundRequest (requestId, phoneNumberId) are strings: in the wire format (magic byte
     * 0, a 4-byte schema id, Avro binary) each is a zig-zag varint length and UTF-8 bytes. Reading them from bytes the
     * serde refused is a best effort: a value is kept only when it is well-formed UTF-8 of a plausible length.
     */
    static String[] leadingStrings(byte[] data) {
        String[] fields = new String[2];
        if (data.length <= WIRE_HEADER || data[0] != 0) {
            return fields;
        }
        ByteBuffer buffer = ByteBuffer.wrap(data, WIRE_HEADER, data.length - WIRE_HEADER);
        for (int i = 0; i < fields.length; i++) {
            String value = readString(buffer);
            if (value == null) {
                return fields;
            }
            fields[i] = value;
        }
        return fields;
    }

    private static String readString(ByteBuffer buffer) {
        long raw = 0;
        int shift = 0;
        while (true) {
            if (!buffer.hasRemaining() || shift > 28) {
                return null;
            }
            byte b = buffer.get();
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        long length = (raw >>> 1) ^ -(raw & 1);
        if (length <= 0 || length > FIELD_LIMIT || length > buffer.remaining()) {
            return null;
        }
        byte[] bytes = new byte[(int) length];
        buffer.get(bytes);
        try {
            String value = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return value.isBlank() || value.chars().anyMatch(Character::isISOControl) ? null : value;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
