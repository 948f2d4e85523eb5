package io.janela.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.dispatch.decision.DecisionTopology;
import io.janela.testsupport.streams.TopologyNames;
import java.util.Map;
import java.util.TreeMap;
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
            // Global stores have numbers too (no task directories): the account state, fed by a processor that keeps
            // only what the rules read, took the global table's place.
            Map<String, Integer> globals = new TreeMap<>();
            built.get()
                    .describe()
                    .globalStores()
                    .forEach(store -> store.processor().stores().forEach(name -> globals.put(name, store.id())));
            assertThat(globals)
                    .containsExactlyEntriesOf(new TreeMap<>(Map.of(
                            DecisionTopology.TEMPLATES_STORE, 0,
                            DecisionTopology.ALIASES_STORE, 1,
                            DecisionTopology.PREFERENCES_STORE, 8,
                            DecisionTopology.ACCOUNT_EVENTS_STORE, 9,
                            DecisionTopology.MARKETING_HOLDS_STORE, 10)));
        }
    }
}
