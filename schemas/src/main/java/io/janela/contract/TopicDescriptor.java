package io.janela.contract;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic as code uses it: its name, the serdes of its keys and values, and whether it is compacted (a table of
 * current values) or a log of events.
 */
public record TopicDescriptor<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {

    public TopicDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
    }
}
