package io.janela.contract.spring;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every restore of a state store from its changelog began, and what it cost: one log line when the restore of a
 * changelog partition starts, one when it ends (or is suspended because the task moved away), and two counters by
 * store and {@code from} (see {@link Counts}). Kafka Streams takes one such listener per client
 * ({@code KafkaStreams.setGlobalStateRestoreListener}); it hears active tasks' and global stores' restores, not
 * standbys' updates.
 *
 * <p><b>{@code from=scratch}</b>: the restore starts at offset 0 of the changelog and there is something to restore
 * (ending offset above 0), so the store had no committed offset of its own: the task had no usable local state
 * (a new or wiped state directory, a task Streams found corrupted and wiped, a task new to this instance, a store
 * SIGKILLed before it ever flushed to disk). Kafka Streams 4.4 starts a restore at the store's committed offset + 1
 * when the store has one (transactional stores, KIP-892: written in one batch with the data at each commit; RocksDB
 * runs without its write-ahead log, so after a SIGKILL the store resumes from the offset it last flushed and replays
 * the tail), and at the changelog's beginning when it has none. <b>{@code from=checkpoint}</b>: every other restore, including
 * one with nothing to replay. Limits: a changelog whose log start offset moved above 0 (retention of a windowed
 * store's {@code compact,delete} changelog, or deleted records) starts a scratch restore above 0, and a windowed
 * store without local state starts at the first record within its retention rather than at the beginning; both are
 * counted {@code checkpoint}. For compacted key-value changelogs (every store whose restore the fault suite checks)
 * the classification is exact.
 */
final class StreamsRestores implements StateRestoreListener {

    private static final Logger log = LoggerFactory.getLogger(StreamsRestores.class);

    /** Where a restore started: the store's own committed offset, or the changelog's beginning. */
    enum From {
        CHECKPOINT,
        SCRATCH;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static From of(long startingOffset, long endingOffset) {
            return startingOffset == 0 && endingOffset > 0 ? SCRATCH : CHECKPOINT;
        }
    }

    /** Where the counts go (Micrometer, or nowhere in an app without it). */
    interface Counts {

        Counts NONE = new Counts() {
            @Override
            public void stores(Collection<String> stores) {}

            @Override
            public void started(String store, From from) {}

            @Override
            public void restored(String store, From from, long records) {}
        };

        /** Every series of these stores at 0, so that the first restore of each is an increase, not a new series. */
        void stores(Collection<String> stores);

        void started(String store, From from);

        void restored(String store, From from, long records);
    }

    private record Changelog(TopicPartition partition, String store) {}

    private record Restore(From from, long startedAt) {}

    private final Counts counts;
    private final Map<Changelog, Restore> running = new ConcurrentHashMap<>();

    StreamsRestores(Counts counts) {
        this.counts = counts;
    }

    /**
     * A state listener that registers the series of every store of {@code topology} at 0 when Streams starts (the
     * move from CREATED to REBALANCING, made inside {@code KafkaStreams.start()} before any thread runs, so before
     * any restore), then tells {@code next}.
     */
    KafkaStreams.StateListener registeringStoresOf(
            Supplier<TopologyDescription> topology, KafkaStreams.StateListener next) {
        return (newState, oldState) -> {
            try {
                if (newState == KafkaStreams.State.REBALANCING && oldState == KafkaStreams.State.CREATED) {
                    counts.stores(storeNames(topology.get()));
                }
            } catch (RuntimeException e) {
                log.warn("Could not register the restore meters of the topology's stores", e);
            } finally {
                next.onChange(newState, oldState);
            }
        };
    }

    /** The names of every store of a topology, global stores included. */
    static Set<String> storeNames(TopologyDescription topology) {
        Set<String> stores = new TreeSet<>();
        topology.subtopologies()
                .forEach(subtopology -> subtopology.nodes().stream()
                        .filter(TopologyDescription.Processor.class::isInstance)
                        .map(TopologyDescription.Processor.class::cast)
                        .forEach(processor -> stores.addAll(processor.stores())));
        topology.globalStores()
                .forEach(global -> stores.addAll(global.processor().stores()));
        return stores;
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        reporting("the start of a restore", partition, store, () -> {
            From from = From.of(startingOffset, endingOffset);
            running.put(new Changelog(partition, store), new Restore(from, System.nanoTime()));
            counts.started(store, from);
            long offsets = Math.max(0, endingOffset - startingOffset);
            // Nothing to replay (every store of every task at each start): not worth an INFO line each.
            (offsets > 0 ? log.atInfo() : log.atDebug())
                    .log(
                            "Restore started: store={} changelog={} partition={} from={} startingOffset={}"
                                    + " endingOffset={} offsetsToRestore={}",
                            store,
                            partition.topic(),
                            partition.partition(),
                            from.label(),
                            startingOffset,
                            endingOffset,
                            offsets);
        });
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        reporting("a restored batch", partition, store, () -> {
            Restore restore = running.get(new Changelog(partition, store));
            counts.restored(store, restore == null ? From.CHECKPOINT : restore.from(), numRestored);
        });
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        reporting("the end of a restore", partition, store, () -> finished("ended", partition, store, totalRestored));
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        reporting(
                "a suspended restore",
                partition,
                store,
                () -> finished("suspended (the task moved away)", partition, store, totalRestored));
    }

    /**
     * Runs what reports a restore, never letting it fail one: Kafka Streams 4.4 turns an exception thrown by a restore
     * listener into a failed restore (a StreamsException that ends the restoring thread).
     */
    private static void reporting(String what, TopicPartition partition, String store, Runnable report) {
        try {
            report.run();
        } catch (RuntimeException e) {
            log.warn("Could not report {} of {} ({})", what, store, partition, e);
        }
    }

    private void finished(String how, TopicPartition partition, String store, long totalRestored) {
        Restore restore = running.remove(new Changelog(partition, store));
        (totalRestored > 0 ? log.atInfo() : log.atDebug())
                .log(
                        "Restore {}: store={} changelog={} partition={} from={} restored={} durationMs={}",
                        how,
                        store,
                        partition.topic(),
                        partition.partition(),
                        restore == null ? "unknown" : restore.from().label(),
                        totalRestored,
                        restore == null ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restore.startedAt()));
    }
}
