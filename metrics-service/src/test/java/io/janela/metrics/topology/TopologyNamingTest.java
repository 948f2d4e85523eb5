package io.janela.metrics.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.metrics.testing.TopologyHarness;
import io.janela.testsupport.streams.TopologyNames;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

class TopologyNamingTest {

    @Test
    void theMetricsTopologyNamesEveryNodeStoreAndTopic() {
        try (TopologyHarness harness = new TopologyHarness()) {
            TopologyNames.assertAllNamed(harness.topology());
            assertThat(TopologyNames.subtopologies(harness.topology()))
                    .as("the stateful processors keep their subtopology numbers (task directories on disk)")
                    .containsEntry("metrics-messages", 2)
                    .containsEntry("metrics-conversations", 0)
                    .containsEntry("metrics-summary", 0);
        }
    }

    /**
     * The contact aliases are a global store: no task reads whatsapp.contact-aliases, so no task's ready check walks
     * its partitions, and a phone-keyed record's lookup needs no co-partitioning (README "Configuration").
     */
    @Test
    void theContactAliasesAreAGlobalStoreThatNoTaskReads() {
        try (TopologyHarness harness = new TopologyHarness()) {
            TopologyDescription description = harness.topology().describe();
            assertThat(description.globalStores()).singleElement().satisfies(global -> {
                assertThat(global.source().topicSet()).containsExactly("whatsapp.contact-aliases");
                assertThat(global.processor().stores()).containsExactly("metrics-contact-aliases");
            });
            assertThat(description.subtopologies())
                    .allSatisfy(subtopology ->
                            assertThat(sourceTopics(subtopology)).doesNotContain("whatsapp.contact-aliases"));
        }
    }

    /**
     * Kafka Streams checks every input partition of a task before each record it processes (README "Topology"): the
     * message step reads its two by-message topics in a subtopology of its own, not among the conversation step's.
     */
    @Test
    void theMessageStepReadsOnlyItsTwoTopicsInASubtopologyOfItsOwn() {
        try (TopologyHarness harness = new TopologyHarness()) {
            int messages = TopologyNames.subtopologies(harness.topology()).get("metrics-messages");
            TopologyDescription.Subtopology step = harness.topology().describe().subtopologies().stream()
                    .filter(subtopology -> subtopology.id() == messages)
                    .findFirst()
                    .orElseThrow();
            assertThat(sourceTopics(step))
                    .containsExactly(
                            "metrics-dispatch-results-by-message-repartition",
                            "metrics-statuses-by-message-repartition");
        }
    }

    /**
     * One task reads a message's statuses and its dispatch result, in timestamp order: in subtopologies of their own,
     * a backlog of statuses runs ahead of the results by more than the settle delay (MessageInputs.inOneTask).
     */
    @Test
    void statusesAndDispatchResultsAreReadByOneTask() {
        try (TopologyHarness harness = new TopologyHarness()) {
            assertThat(harness.topology().describe().subtopologies())
                    .filteredOn(subtopology -> sourceTopics(subtopology)
                            .contains(harness.topics().messageStatuses().name()))
                    .singleElement()
                    .satisfies(subtopology -> assertThat(sourceTopics(subtopology))
                            .contains(harness.topics().dispatchResults().name()));
        }
    }

    /**
     * The service refuses to start on contact-keyed inputs of another partition count than the one its repartition
     * topics get ({@code InputPartitionsCheck}): every input topic a task reads must be on its list, but
     * conversation-resolutions, which is re-keyed before it meets anything.
     */
    @Test
    void thePartitionCheckCoversEveryInputATaskReads() {
        try (TopologyHarness harness = new TopologyHarness()) {
            Set<String> inputs = new TreeSet<>();
            harness.topology()
                    .describe()
                    .subtopologies()
                    .forEach(subtopology -> inputs.addAll(sourceTopics(subtopology)));
            inputs.removeIf(topic -> topic.endsWith("-repartition"));
            inputs.remove(harness.topics().conversationResolutions().name());
            assertThat(inputs)
                    .containsExactlyInAnyOrderElementsOf(MetricsTopology.contactKeyedInputs(harness.topics()));
        }
    }

    private static Set<String> sourceTopics(TopologyDescription.Subtopology subtopology) {
        Set<String> topics = new TreeSet<>();
        for (TopologyDescription.Node node : subtopology.nodes()) {
            if (node instanceof TopologyDescription.Source source) {
                topics.addAll(source.topicSet());
            }
        }
        return topics;
    }
}
