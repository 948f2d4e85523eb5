package io.janela.metrics.streams;

import io.janela.streams.DeadlineIndex;
import java.util.function.Function;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the check and eviction deadlines every state names back in a processor's {@link DeadlineIndex} when its task
 * starts, and says what it cost. Kafka Streams initializes a task's processors once its stores are restored, so the
 * states are all there.
 */
public final class IndexRebuild {

    private static final Logger log = LoggerFactory.getLogger(IndexRebuild.class);

    private IndexRebuild() {}

    /** @param index the index's name in the log and the {@code index} tag: a fixed word per processor */
    public static <V> void run(
            TaskId task,
            String index,
            DeadlineIndex<DeadlineKind> deadlines,
            KeyValueStore<String, V> states,
            Function<V, Long> checkAt,
            Function<V, Long> evictCheckAt,
            StreamsMeters meters) {
        DeadlineIndex.Rebuilt rebuilt = deadlines.rebuild(states, (id, state) -> {
            Long check = checkAt.apply(state);
            if (check != null) {
                deadlines.schedule(check, DeadlineKind.CHECK, id);
            }
            Long evict = evictCheckAt.apply(state);
            if (evict != null) {
                deadlines.schedule(evict, DeadlineKind.EVICT, id);
            }
        });
        meters.indexRebuilt(index, rebuilt.took());
        if (rebuilt.statesRead() > 0) {
            log.info(
                    "Task {}: {} deadline index rebuilt from {} states in {} ms",
                    task,
                    index,
                    rebuilt.statesRead(),
                    rebuilt.took().toMillis());
        }
    }
}
