package io.janela.contract;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic as code uses it: its name, the serdes of its keys and values, whether it is compacted (a table of
 * current values) or a log of events, and whether the broker stamps its records.
 *
 * @param logAppendTime the topic is created with {@code message.timestamp.type=LogAppendTime}: each record's timestamp
 *     is the time the broker appended it, whatever its producer set. For the topics systems outside Janela write (the
 *     company's outbound requests and conversation resolutions), whose producers' timestamps Janela does not control:
 *     a backlog replayed with its original times would otherwise be deleted by time retention before it is read.
 *     Their readers take every time they use from the value or their own clock (docs/reliability.md).
 */
public record TopicDescriptor<K, V>(
        String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted, boolean logAppendTime) {

    public TopicDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
    }

    /** A topic whose records keep the timestamps their producers set. */
    public TopicDescriptor(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {
        this(name, keySerde, valueSerde, compacted, false);
    }

    /**
     * The topic configuration every place that creates this topic must give it ({@code cleanup.policy=compact},
     * {@code message.timestamp.type=LogAppendTime}); empty for a log of events with the producers' timestamps.
     * Retention, partitions and replicas are each creator's own.
     */
    public Map<String, String> requiredConfigs() {
        Map<String, String> configs = new LinkedHashMap<>();
        if (compacted) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        if (logAppendTime) {
            configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, TimestampType.LOG_APPEND_TIME.name);
        }
        return Map.copyOf(configs);
    }
}
