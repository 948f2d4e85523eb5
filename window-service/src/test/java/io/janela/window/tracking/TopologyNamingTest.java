package io.janela.window.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.testsupport.streams.TopologyNames;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TopologyNamingTest {

    @Test
    void theWindowTopologyNamesEveryNodeStoreAndTopic() {
        try (TrackingDriver t = TrackingDriver.start(TrackingDriver.SETTINGS, Instant.parse("2026-11-20T10:00:00Z"))) {
            TopologyNames.assertAllNamed(t.topology);
            assertThat(TopologyNames.subtopologies(t.topology))
                    .as("the stateful processors keep their subtopology numbers (task directories on disk)")
                    .containsEntry(WindowTopology.TRACKER, 1);
        }
    }
}
