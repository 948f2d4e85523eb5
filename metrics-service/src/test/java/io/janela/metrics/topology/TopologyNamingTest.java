package io.janela.metrics.topology;

import io.janela.metrics.testing.TopologyHarness;
import io.janela.testsupport.streams.TopologyNames;
import org.junit.jupiter.api.Test;

class TopologyNamingTest {

    @Test
    void theMetricsTopologyNamesEveryNodeStoreAndTopic() {
        try (TopologyHarness harness = new TopologyHarness()) {
            TopologyNames.assertAllNamed(harness.topology());
        }
    }
}
