package io.janela.contract;

import io.janela.serde.SpecificAvroSerde;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;

/**
 * Makes the configured value serde of each record type. By default Janela's {@link SpecificAvroSerde}; any other
 * class with a public no-argument constructor that is configured by Kafka client properties can take its place, such
 * as Confluent's {@code io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde} (it reads the same keys and the
 * same wire format, so the switch needs no other change).
 */
public final class ValueSerdes {

    private final Map<String, ?> configs;
    private final String serdeClassName;

    private ValueSerdes(Map<String, ?> configs, String serdeClassName) {
        this.configs = Map.copyOf(configs);
        this.serdeClassName = serdeClassName;
    }

    /** Janela's own serde, configured with these Kafka client properties ({@code schema.registry.url}, ...). */
    public static ValueSerdes janela(Map<String, ?> configs) {
        return new ValueSerdes(configs, null);
    }

    /** Instances of the named serde class, configured with these properties; null or blank means Janela's. */
    public static ValueSerdes ofClass(String serdeClassName, Map<String, ?> configs) {
        return new ValueSerdes(
                configs, serdeClassName == null || serdeClassName.isBlank() ? null : serdeClassName.strip());
    }

    /** A new, configured serde for values of this type. */
    public <T extends SpecificRecord> Serde<T> forType(Class<T> type) {
        if (serdeClassName == null) {
            return SpecificAvroSerde.forValues(type, configs);
        }
        Serde<T> serde = instantiate();
        serde.configure(configs, false);
        return serde;
    }

    @SuppressWarnings("unchecked")
    private <T> Serde<T> instantiate() {
        try {
            Object serde = Class.forName(serdeClassName).getConstructor().newInstance();
            if (!(serde instanceof Serde<?>)) {
                throw new ConfigException("value serde class", serdeClassName, "not a Kafka Serde");
            }
            return (Serde<T>) serde;
        } catch (ClassNotFoundException
                | NoSuchMethodException
                | InstantiationException
                | IllegalAccessException
                | InvocationTargetException e) {
            throw new ConfigException("value serde class", serdeClassName, "cannot be instantiated: " + e);
        }
    }
}
