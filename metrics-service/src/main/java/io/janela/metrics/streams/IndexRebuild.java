package io.janela.metrics.streams;

import io.janela.streams.DeadlineIndex;
import io.janela.streams.DeadlineRebuild;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Puts the check and eviction deadlines every state names back in a processor's {@link DeadlineIndex} while its task
 * runs ({@link DeadlineRebuild}: in slices between the records, from a wall-clock punctuation), and records what it
 * took in {@code janela.deadline.index.rebuild{index}}.
 */
public final class IndexRebuild {

    private IndexRebuild() {}

    /**
     * Closes the previous start's rebuild and starts a new one ({@link DeadlineRebuild#restart}); the processor
     * {@linkplain DeadlineRebuild.Handle#close closes} what this returns when it closes.
     *
     * @param previous what this returned at the processor's previous {@code init}; null on the first
     * @param index the index's name in the log and the {@code index} tag: a fixed word per processor
     */
    public static <V> DeadlineRebuild.Handle restart(
            DeadlineRebuild.Handle previous,
            ProcessorContext<?, ?> context,
            String index,
            DeadlineIndex<DeadlineKind> deadlines,
            KeyValueStore<String, V> states,
            Function<V, Long> checkAt,
            Function<V, Long> evictCheckAt,
            MeasurementSettings settings,
            StreamsMeters meters) {
        return DeadlineRebuild.restart(
                previous,
                context,
                index,
                states,
                (id, state) -> {
                    Long check = checkAt.apply(state);
                    if (check != null) {
                        deadlines.schedule(check, DeadlineKind.CHECK, id);
                    }
                    Long evict = evictCheckAt.apply(state);
                    if (evict != null) {
                        deadlines.schedule(evict, DeadlineKind.EVICT, id);
                    }
                },
                settings.indexRebuild(),
                rebuilt -> meters.indexRebuilt(index, rebuilt.took()));
    }
}
