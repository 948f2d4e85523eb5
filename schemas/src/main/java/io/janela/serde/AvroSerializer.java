package io.janela.serde;

import io.janela.serde.registry.RegisteredSchema;
import io.janela.serde.registry.SchemaRegistryClient;
import io.janela.serde.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated classes or {@code GenericRecord}s) in Confluent's wire format, registering or
 * looking up the schema under the subject {@code <topic>-value} (or {@code <topic>-key}). Configured by the keys of
 * {@link AvroSerdeConfig}; a drop-in for Confluent's {@code KafkaAvroSerializer} on records.
 *
 * <p>Registry answers are cached (see {@code CachingSchemaRegistryClient}): after the first record of a schema, no
 * registry call is made. Thread-safe once configured.
 */
public class AvroSerializer<T extends IndexedRecord> implements Serializer<T> {

    private static final EncoderFactory ENCODERS = EncoderFactory.get();

    private SchemaRegistryClient registry;
    private AvroSerdeConfig config;
    private boolean isKey;
    private final ConcurrentMap<Class<?>, DatumWriter<Object>> specificWriters = new ConcurrentHashMap<>();
    private final ConcurrentMap<Schema, DatumWriter<Object>> genericWriters = new ConcurrentHashMap<>();

    /** For Kafka, which instantiates serializers by class name and then calls {@link #configure}. */
    public AvroSerializer() {
        AvroClassTrust.trustGeneratedClasses();
    }

    /** With a registry client of the caller's choosing; {@link #configure} still reads the other settings. */
    public AvroSerializer(SchemaRegistryClient registry) {
        this();
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = AvroSerdeConfig.from(configs);
        this.isKey = isKey;
        if (registry == null) {
            registry = SchemaRegistryClients.create(config);
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (config == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        String subject = topic + (isKey ? "-key" : "-value");
        Schema schema = record.getSchema();
        Object datum = record;
        int schemaId;
        try {
            if (config.useLatestVersion()) {
                RegisteredSchema latest = registry.latest(subject);
                datum = inLatestSchema(record, latest, subject);
                schema = latest.schema();
                schemaId = latest.id();
            } else if (config.autoRegisterSchemas()) {
                schemaId = registry.register(subject, schema);
            } else {
                schemaId = registry.idOf(subject, schema);
            }
        } catch (SchemaRegistryException e) {
            throw new SerializationException(
                    "Could not find a schema id for " + schema.getFullName() + " under subject " + subject + ": "
                            + e.getMessage(),
                    e);
        }
        return write(topic, schemaId, schema, datum);
    }

    private byte[] write(String topic, int schemaId, Schema schema, Object datum) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        byte[] header = new byte[WireFormat.HEADER_LENGTH];
        WireFormat.writeHeader(header, schemaId);
        out.writeBytes(header);
        try {
            BinaryEncoder encoder = ENCODERS.directBinaryEncoder(out, null);
            writerFor(datum, schema).write(datum, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Could not write a " + schema.getFullName() + " to topic " + topic + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * A generated class is written through its own {@code SpecificData}, which knows its logical-type conversions
     * ({@code Instant}, {@code BigDecimal}); a generic record holds the raw values and is written generically.
     */
    @SuppressWarnings("unchecked")
    private DatumWriter<Object> writerFor(Object datum, Schema schema) {
        if (datum instanceof SpecificRecord specific) {
            return specificWriters.computeIfAbsent(specific.getClass(), type -> (DatumWriter<Object>)
                    (DatumWriter<?>) new SpecificDatumWriter<>(schema, SpecificData.getForClass(type)));
        }
        return genericWriters.computeIfAbsent(
                schema, key -> (DatumWriter<Object>) (DatumWriter<?>) new GenericDatumWriter<>(key, GenericData.get()));
    }

    /**
     * {@code use.latest.version}: the record is written with the subject's latest schema. When that is not the
     * record's own schema, the record is resolved into it (by field name, with the latest schema's defaults).
     */
    private Object inLatestSchema(T record, RegisteredSchema latest, String subject) {
        Schema own = record.getSchema();
        if (own.equals(latest.schema())) {
            return record;
        }
        if (config.latestCompatibilityStrict()
                && SchemaCompatibility.checkReaderWriterCompatibility(latest.schema(), own)
                                .getType()
                        != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("The latest version " + latest.version() + " of subject " + subject
                    + " cannot represent a " + own.getFullName() + " record (latest.compatibility.strict=true)");
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = ENCODERS.directBinaryEncoder(out, null);
            writerFor(record, own).write(record, encoder);
            encoder.flush();
            return new GenericDatumReader<>(own, latest.schema(), GenericData.get())
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Could not convert a " + own.getFullName() + " to the latest version of " + subject, e);
        }
    }
}
