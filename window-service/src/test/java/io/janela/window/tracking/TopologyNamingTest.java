package io.janela.window.tracking;

import io.janela.testsupport.streams.TopologyNames;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TopologyNamingTest {

    @Test
    void theWindowTopologyNamesEveryNodeStoreAndTopic() {
        try (TrackingDriver t = TrackingDriver.start(TrackingDriver.SETTINGS, Instant.parse("2026-11-20T10:00:00Z"))) {
            TopologyNames.assertAllNamed(t.topology);
        }
    }
}
