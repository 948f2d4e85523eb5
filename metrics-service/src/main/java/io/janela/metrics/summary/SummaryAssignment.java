package io.janela.metrics.summary;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which partitions of the summary store a summary asks each instance for. Every task holds buckets of the same phone
 * numbers (each sums its own contacts), so a summary must add up every partition exactly once.
 */
sealed interface SummaryAssignment {

    /**
     * No {@code application.server}: this instance is taken to be the only one, and must serve every partition it
     * holds actively (a single instance holds no standby copies).
     */
    record Alone() implements SummaryAssignment {}

    /**
     * Each partition with the instance Kafka Streams' assignment names as its active host.
     *
     * @param local the partitions this instance is to read
     * @param others the partitions each other instance is to read; none is empty
     */
    record Shared(Set<Integer> local, Map<HostInfo, Set<Integer>> others) implements SummaryAssignment {

        public Shared {
            local = Set.copyOf(local);
            others = Map.copyOf(others);
        }
    }
}
