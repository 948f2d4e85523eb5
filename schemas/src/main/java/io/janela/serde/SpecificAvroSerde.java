package io.janela.serde;

import io.janela.serde.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The Kafka Streams form: one generated class, written and read in Confluent's wire format. Like Confluent's
 * {@code SpecificAvroSerde}, it must be {@linkplain #configure configured} before use.
 */
public class SpecificAvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {

    public SpecificAvroSerde(Class<T> type) {
        super(new AvroSerializer<>(), new AvroDeserializer<>(type));
    }

    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient registry) {
        super(new AvroSerializer<>(registry), new AvroDeserializer<>(type, registry));
    }

    /** A serde for record values, configured with these Kafka client properties. */
    public static <T extends SpecificRecord> Serde<T> forValues(Class<T> type, Map<String, ?> configs) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(configs, false);
        return serde;
    }
}
