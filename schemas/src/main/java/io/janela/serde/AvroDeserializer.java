package io.janela.serde;

import io.janela.serde.registry.SchemaRegistryClient;
import io.janela.serde.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in Confluent's wire format, whoever wrote them: the writer's schema is fetched by the id in the
 * record's header (and cached for good), then resolved against the reader's schema, so records written with an older
 * or newer compatible schema read fine.
 *
 * <p>The reader's schema is, in order: the generated class given to the constructor; with
 * {@code specific.avro.reader=true}, the generated class named like the writer's schema; else the writer's schema
 * itself (a {@code GenericRecord}).
 *
 * <p>Bytes that are not in the wire format, an id the registry does not know, or bytes that do not decode raise a
 * {@link SerializationException} naming the topic and the schema id; Kafka adds the partition and offset when it
 * wraps it ({@code RecordDeserializationException}, or the record handed to a Streams deserialization handler). When
 * the cause is an unreachable registry, the exception's cause is a transient {@link SchemaRegistryException}: see
 * {@link #isTransientRegistryFailure}.
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    private static final DecoderFactory DECODERS = DecoderFactory.get();

    private final Class<? extends SpecificRecord> readerType;
    private SchemaRegistryClient registry;
    private AvroSerdeConfig config;
    private final ConcurrentMap<Integer, DatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();

    /** For Kafka, which instantiates deserializers by class name and then calls {@link #configure}. */
    public AvroDeserializer() {
        this(null, null);
    }

    /** Reads into this generated class, whatever {@code specific.avro.reader} says. */
    public AvroDeserializer(Class<? extends SpecificRecord> readerType) {
        this(readerType, null);
    }

    /** With a registry client of the caller's choosing; {@link #configure} still reads the other settings. */
    public AvroDeserializer(Class<? extends SpecificRecord> readerType, SchemaRegistryClient registry) {
        AvroClassTrust.trustGeneratedClasses();
        this.readerType = readerType;
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = AvroSerdeConfig.from(configs);
        if (registry == null) {
            registry = SchemaRegistryClients.create(config);
        }
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, data);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (config == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        int schemaId = WireFormat.schemaId(data, topic);
        DatumReader<T> reader = readersBySchemaId.computeIfAbsent(schemaId, id -> readerFor(id, topic));
        try {
            BinaryDecoder decoder = DECODERS.binaryDecoder(
                    data, WireFormat.HEADER_LENGTH, data.length - WireFormat.HEADER_LENGTH, null);
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("Record on topic " + topic + " with schema id " + schemaId
                        + " has bytes left after the record: not the Avro encoding of that schema");
            }
            return record;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException serialization) {
                throw serialization;
            }
            throw new SerializationException(
                    "Could not decode a record on topic " + topic + " with schema id " + schemaId + ": " + e, e);
        }
    }

    private DatumReader<T> readerFor(int schemaId, String topic) {
        Schema writer;
        try {
            writer = registry.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            throw new SerializationException(
                    "Could not find the schema with id " + schemaId + " of a record on topic " + topic + ": "
                            + e.getMessage(),
                    e);
        }
        Class<?> type = readerType;
        if (type == null && config.specificAvroReader()) {
            type = SpecificData.get().getClass(writer);
            if (type == null) {
                throw new SerializationException("specific.avro.reader=true but no generated class is named "
                        + writer.getFullName() + " (schema id " + schemaId + ", topic " + topic + ")");
            }
        }
        if (type == null) {
            return new GenericDatumReader<>(writer, writer, GenericData.get());
        }
        SpecificData model = SpecificData.getForClass(type);
        return new SpecificDatumReader<>(writer, model.getSchema(type), model);
    }

    /** True when a deserialization failed because the registry was unreachable, not because of the record. */
    public static boolean isTransientRegistryFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException registryFailure) {
                return registryFailure.isTransient();
            }
        }
        return false;
    }
}
