package io.janela.testsupport.benchmark;

import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KeyValueMapper;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The like-for-like baseline of a four-cell benchmark (DESIGN.md §5): a Kafka Streams topology that reads a topic
 * with the service's serdes and writes every record, unchanged, to each of {@code outputs}: as many records per input
 * as the service's topology writes, with the deserialization and serialization any topology over that topic pays,
 * and no state. {@link #addRekeyed} first re-keys the records through a repartition topic, written and read back, as a
 * service's topology does before a step keyed otherwise than its input.
 */
public final class FanOutPassThrough {

    private FanOutPassThrough() {}

    /** Adds to {@code builder} a copy of {@code input} into every topic of {@code outputs}; names start with
     * {@code name}. */
    public static <K, V> void add(
            StreamsBuilder builder, String input, Serde<K> keys, Serde<V> values, List<String> outputs, String name) {
        KStream<K, V> records =
                builder.stream(input, Consumed.with(keys, values).withName(name + "-source"));
        to(records, keys, values, outputs, name);
    }

    /**
     * Adds to {@code builder} a copy of {@code input}, re-keyed by {@code newKey} and repartitioned through the
     * application's topic {@code repartition} (one record written and read back per input), into every topic of
     * {@code outputs}; node names start with {@code name}.
     */
    public static <K, V, R> void addRekeyed(
            StreamsBuilder builder,
            String input,
            Serde<K> keys,
            Serde<V> values,
            KeyValueMapper<K, V, R> newKey,
            Serde<R> newKeys,
            String repartition,
            List<String> outputs,
            String name) {
        KStream<R, V> rekeyed = builder.stream(
                        input, Consumed.with(keys, values).withName(name + "-source"))
                .selectKey(newKey, Named.as(name + "-key"))
                .repartition(Repartitioned.<R, V>as(repartition)
                        .withKeySerde(newKeys)
                        .withValueSerde(values));
        to(rekeyed, newKeys, values, outputs, name);
    }

    private static <K, V> void to(
            KStream<K, V> records, Serde<K> keys, Serde<V> values, List<String> outputs, String name) {
        for (int i = 0; i < outputs.size(); i++) {
            records.to(outputs.get(i), Produced.with(keys, values).withName(name + "-sink-" + (i + 1)));
        }
    }

    /** The names of {@code copies} output topics for {@code input}: {@code prefix + input + ".1"} and on. */
    public static List<String> outputs(String prefix, String input, int copies) {
        return java.util.stream.IntStream.rangeClosed(1, copies)
                .mapToObj(copy -> prefix + input + "." + copy)
                .toList();
    }
}
