package io.janela.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.testsupport.streams.TopologyNames;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams names task directories by subtopology number, and numbers subtopologies in the order their sources are
 * created: a change that shifts the numbers hands an instance's state on disk to the wrong tasks after an upgrade (and
 * a directory with a global table's number made Kafka Streams 4.4 fail at start). The processors that hold state keep
 * the numbers they had before the contact and account rules were added.
 */
class TopologyUpgradeTest {

    @Test
    void theStatefulProcessorsKeepTheirSubtopologyNumbersAcrossTheAdditionOfTheGlobalPolicyState() {
        AtomicReference<Topology> built = new AtomicReference<>();
        try (TopologyHarness ignored = new TopologyHarness("topology-upgrade-test", (topics, settings, config) -> {
            built.set(DispatchTopology.build(settings, 3, config));
            return built.get();
        })) {
            Map<String, Integer> numbers = TopologyNames.subtopologies(built.get());
            assertThat(numbers)
                    .containsEntry("dispatch-decide", 2)
                    .containsEntry("dispatch-intake", 3)
                    .containsEntry("dispatch-correlate", 4)
                    .containsEntry("dispatch-catalog", 7)
                    .containsEntry("dispatch-messaging-limit", 11);
        }
    }
}
