package io.janela.dispatch;

import io.janela.dispatch.catalog.CatalogTopology;
import io.janela.dispatch.correlation.CorrelationTopology;
import io.janela.dispatch.decision.DecisionTopology;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

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
        DecisionTopology.Decided decided = DecisionTopology.addTo(builder, settings);
        CorrelationTopology.addTo(
                builder,
                decided.fallbackPlans(),
                settings.topics(),
                partitions,
                settings.decision().correlationRetention());
        CatalogTopology.addTo(builder, settings.topics());
        // Last: they keep the numbers of the existing subtopologies.
        DecisionTopology.addPolicyState(builder, settings);
        DecisionTopology.addMessagingLimit(builder, settings, decided.businessInitiated());
    }
}
