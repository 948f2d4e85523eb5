package io.janela.testsupport.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Checks that a topology names every processor, store and internal topic itself. Kafka Streams numbers what is not
 * named ({@code KSTREAM-AGGREGATE-0000000003}); the numbers shift when the topology changes, and state or internal
 * topics under the old names are orphaned (CONVENTIONS.md, "Kafka Streams"). Names are not all: Kafka Streams also
 * names task directories by subtopology number, numbered in the order sources are added, so a change that shifts the
 * number of a stateful processor hands its state on disk to another task after an upgrade ({@link #subtopologies}).
 */
public final class TopologyNames {

    /** Kafka Streams' generated names: an upper-case prefix and a ten-digit index. */
    private static final Pattern GENERATED = Pattern.compile("[A-Z]+(?:-[A-Z]+)*-\\d{10}");

    private TopologyNames() {}

    /** Fails, naming each offender, when the topology's description holds a generated name. */
    public static void assertAllNamed(Topology topology) {
        List<String> generated = generatedNames(topology.describe());
        if (!generated.isEmpty()) {
            throw new AssertionError("the topology holds generated names (name them with Named.as, Materialized.as,"
                    + " Repartitioned.as...): " + generated);
        }
    }

    /**
     * Each node's subtopology number (global stores' nodes left out). A topology test pins the numbers of its stateful
     * processors with this, so that adding an input or a global table where it shifts them fails the build.
     */
    public static Map<String, Integer> subtopologies(Topology topology) {
        Map<String, Integer> numbers = new TreeMap<>();
        for (TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
            subtopology.nodes().forEach(node -> numbers.put(node.name(), subtopology.id()));
        }
        return numbers;
    }

    /** The generated names in a description: nodes, their stores, and the topics they read and write. */
    public static List<String> generatedNames(TopologyDescription description) {
        List<String> found = new ArrayList<>();
        for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                check(node.name(), found);
                switch (node) {
                    case TopologyDescription.Processor processor ->
                        processor.stores().forEach(s -> check(s, found));
                    case TopologyDescription.Source source -> {
                        if (source.topicSet() != null) {
                            source.topicSet().forEach(t -> check(t, found));
                        }
                    }
                    case TopologyDescription.Sink sink -> check(sink.topic(), found);
                    default -> {}
                }
            }
        }
        for (TopologyDescription.GlobalStore store : description.globalStores()) {
            check(store.source().name(), found);
            check(store.processor().name(), found);
            store.processor().stores().forEach(s -> check(s, found));
        }
        return found;
    }

    private static void check(String name, List<String> found) {
        if (name != null && GENERATED.matcher(name).find() && !found.contains(name)) {
            found.add(name);
        }
    }
}
