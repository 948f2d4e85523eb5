package io.janela.metrics.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.metrics.testing.TopologyHarness;
import io.janela.testsupport.streams.TopologyNames;
import org.junit.jupiter.api.Test;

class TopologyNamingTest {

    @Test
    void theMetricsTopologyNamesEveryNodeStoreAndTopic() {
        try (TopologyHarness harness = new TopologyHarness()) {
            TopologyNames.assertAllNamed(harness.topology());
            assertThat(TopologyNames.subtopologies(harness.topology()))
                    .as("the stateful processors keep their subtopology numbers (task directories on disk)")
                    .containsEntry("metrics-messages", 0)
                    .containsEntry("metrics-conversations", 0)
                    .containsEntry("metrics-summary", 0);
        }
    }
}
