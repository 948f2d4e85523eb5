package io.janela.dispatch;

import io.janela.testsupport.streams.TopologyNames;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/** dispatch's one Streams application (decision, correlation, catalog) names every node, store and topic itself. */
class TopologyNamingTest {

    @Test
    void theDispatchTopologyNamesEveryNodeStoreAndTopic() {
        AtomicReference<Topology> built = new AtomicReference<>();
        try (TopologyHarness ignored = new TopologyHarness("topology-naming-test", (topics, settings, config) -> {
            built.set(DispatchTopology.build(settings, 3, config));
            return built.get();
        })) {
            TopologyNames.assertAllNamed(built.get());
        }
    }
}
