package io.janela.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format: one magic byte 0, the schema id as a 4-byte big-endian integer, then the Avro binary
 * encoding of the record. Specified at https://docs.confluent.io/platform/current/schema-registry/fundamentals/
 * serdes-develop/index.html#wire-format.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_LENGTH = 5;

    private WireFormat() {}

    /** Writes the header into the first five bytes of {@code target}. */
    static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    /**
     * The schema id of a framed record.
     *
     * @throws SerializationException when the bytes are too short or do not start with the magic byte
     */
    public static int schemaId(byte[] data, String topic) {
        if (data.length < HEADER_LENGTH) {
            throw new SerializationException("Record on topic " + topic + " is not in the Avro wire format: "
                    + data.length + " bytes, fewer than the 5-byte header");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new SerializationException("Record on topic " + topic + " is not in the Avro wire format:"
                    + " unknown magic byte " + data[0] + " (expected 0)");
        }
        return ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
    }
}
