package io.janela.testsupport.benchmark;

import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The like-for-like baseline of a four-cell benchmark (DESIGN.md §5): a Kafka Streams topology that reads a topic
 * with the service's serdes and writes every record, unchanged, to each of {@code outputs}: as many records per input
 * as the service's topology writes, with the deserialization and serialization any topology over that topic pays,
 * and no state.
 */
public final class FanOutPassThrough {

    private FanOutPassThrough() {}

    /** Adds to {@code builder} a copy of {@code input} into every topic of {@code outputs}; names start with
     * {@code name}. */
    public static <K, V> void add(
            StreamsBuilder builder, String input, Serde<K> keys, Serde<V> values, List<String> outputs, String name) {
        KStream<K, V> records =
                builder.stream(input, Consumed.with(keys, values).withName(name + "-source"));
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
