package io.janela.dispatch;

import io.janela.avro.SendCommand;
import io.janela.dispatch.catalog.CatalogTopology;
import io.janela.dispatch.correlation.CorrelationTopology;
import io.janela.dispatch.decision.DecisionTopology;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The dispatch-service's Kafka Streams application: the decision, the correlation of failed statuses, and the
 * template catalog, in one application id (exactly-once v2).
 */
public final class DispatchTopology {

    private DispatchTopology() {}

    /** @param partitions partitions of the repartition topics whose count dispatch chooses */
    public static Topology build(DecisionTopology.Settings settings, int partitions, Properties streamsConfig) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, settings, partitions);
        return builder.build(streamsConfig);
    }

    public static void addTo(StreamsBuilder builder, DecisionTopology.Settings settings, int partitions) {
        KStream<String, SendCommand> fallbackPlans = DecisionTopology.addTo(builder, settings);
        CorrelationTopology.addTo(
                builder,
                fallbackPlans,
                settings.topics(),
                partitions,
                settings.decision().correlationRetention());
        CatalogTopology.addTo(builder, settings.topics());
        DecisionTopology.addPolicyState(builder, settings); // last: it keeps the numbers of the existing subtopologies
    }
}
