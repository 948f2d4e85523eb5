package io.janela.metrics.summary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The instances that hold the summary store's partitions: which one serves each partition now. Knowing them needs
 * {@code application.server} (host:port of each instance's HTTP server) in the Streams configuration; without it this
 * instance is taken to be the only one.
 *
 * <p>Each partition is asked of its active instance only, for that partition only, and that instance answers only
 * if it serves it actively (SummaryQuery). The other way, asking every instance for all it holds and skipping the
 * partitions it answers {@code NOT_ACTIVE} for (with {@code num.standby.replicas=1} every instance also holds standby
 * copies of others' partitions), would count a partition nobody serves as empty: during a rebalance a partition is
 * revoked from one instance one round before it is assigned to the next (cooperative rebalancing), and its new
 * active task may still be restoring. Here such a partition has no active host, or its host does not serve it yet:
 * the summary is unavailable (503) until it does, never silently short of it, and no partition is counted twice.
 */
final class SummaryPeers {

    private final Supplier<KafkaStreams> streams;
    private final HostInfo self;

    SummaryPeers(Supplier<KafkaStreams> streams, String applicationServer) {
        this.streams = streams;
        this.self = applicationServer == null || applicationServer.isBlank()
                ? null
                : HostInfo.buildFromEndpoint(applicationServer);
    }

    /** Which instance to ask for which partitions of the summary store now. */
    SummaryAssignment assignment() {
        if (self == null) {
            return new SummaryAssignment.Alone();
        }
        KafkaStreams running = streams.get();
        if (running == null || running.state() != KafkaStreams.State.RUNNING) {
            throw new SummaryUnavailableException("Kafka Streams is not running yet", null);
        }
        try {
            return assignment(running);
        } catch (IllegalStateException | StreamsException e) {
            throw new SummaryUnavailableException("the summary store's metadata is not available now", e);
        }
    }

    private SummaryAssignment assignment(KafkaStreams running) {
        int partitions = partitionCount(running);
        Map<Integer, HostInfo> activeHosts = new TreeMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            KeyQueryMetadata metadata = running.queryMetadataForKey(SummaryStream.STORE, partition, itself());
            activeHosts.put(partition, metadata == null ? null : metadata.activeHost());
        }
        return assignment(self, activeHosts);
    }

    /**
     * Which instance to ask for which partition, from each partition's active host as Kafka Streams names it (null or
     * {@link HostInfo#unavailable()} when it names none: the partition is between owners).
     *
     * @throws SummaryUnavailableException when a partition has no active host now
     */
    static SummaryAssignment assignment(HostInfo self, Map<Integer, HostInfo> activeHosts) {
        Map<HostInfo, Set<Integer>> byHost = new HashMap<>();
        List<Integer> unserved = new ArrayList<>();
        activeHosts.forEach((partition, active) -> {
            if (active == null || active.equals(HostInfo.unavailable())) {
                unserved.add(partition);
            } else {
                byHost.computeIfAbsent(active, host -> new TreeSet<>()).add(partition);
            }
        });
        if (!unserved.isEmpty()) {
            throw new SummaryUnavailableException(
                    "partitions " + unserved + " of the summary store have no active instance now (rebalancing)", null);
        }
        Set<Integer> local = byHost.remove(self);
        return new SummaryAssignment.Shared(local == null ? Set.of() : local, byHost);
    }

    /**
     * The number of the store's partitions (its tasks: the most partitions of its source topics), as Kafka Streams
     * hands it to the partitioner that locates a key.
     */
    private static int partitionCount(KafkaStreams running) {
        int[] count = {0};
        StreamPartitioner<Integer, Object> probe = (topic, key, value, partitions) -> {
            count[0] = partitions;
            return Optional.of(Set.of(0));
        };
        running.queryMetadataForKey(SummaryStream.STORE, 0, probe);
        if (count[0] <= 0) {
            throw new SummaryUnavailableException("the summary store has no assignment yet", null);
        }
        return count[0];
    }

    /** A "key" that is its partition: locates a partition of the store rather than a key. */
    private static StreamPartitioner<Integer, Object> itself() {
        return (topic, partition, value, partitions) -> Optional.of(Set.of(partition));
    }
}
