package io.janela.streams;

import io.janela.contract.TopicDescriptor;
import java.util.function.Function;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Sends each kind of a processor's outputs to its own topic. A processor that writes several topics emits one sealed
 * output type; this splits the stream by kind, takes each output's record out ({@code node-unwrap}), gives it the
 * {@link RecordTime} chosen for its topic, and writes it ({@code node-sink}). Every node gets the name it is given, so
 * a topology keeps its names whichever builds it.
 *
 * @param <O> the processor's output type
 */
public final class OutputRoutes<O> {

    private final BranchedKStream<String, O> byKind;

    private OutputRoutes(BranchedKStream<String, O> byKind) {
        this.byKind = byKind;
    }

    /** Splits {@code outputs} by kind; the split node is named {@code splitName}, each branch {@code splitName+branch}. */
    public static <O> OutputRoutes<O> split(KStream<String, O> outputs, String splitName) {
        return new OutputRoutes<>(outputs.split(Named.as(splitName)));
    }

    /** Outputs of {@code kind} go, as {@code record} of them at {@code time}, to a contract topic. */
    public <T extends O, V> OutputRoutes<O> route(
            Class<T> kind,
            Function<? super T, V> record,
            RecordTime time,
            TopicDescriptor<String, V> topic,
            String node,
            String branch) {
        return route(
                kind, record, time, topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()), node, branch);
    }

    /**
     * Outputs of {@code kind} go, as {@code record} of them at {@code time}, to {@code topic} written as
     * {@code produced} says.
     */
    public <T extends O, V> OutputRoutes<O> route(
            Class<T> kind,
            Function<? super T, V> record,
            RecordTime time,
            String topic,
            Produced<String, V> produced,
            String node,
            String branch) {
        byKind.branch(
                (key, output) -> kind.isInstance(output),
                Branched.withConsumer(
                        outputs -> time.mapValues(
                                        outputs, output -> record.apply(kind.cast(output)), Named.as(node + "-unwrap"))
                                .to(topic, produced.withName(node + "-sink")),
                        branch));
        return this;
    }
}
