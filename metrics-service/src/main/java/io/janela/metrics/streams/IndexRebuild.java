package io.janela.metrics.streams;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.processor.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a processor's {@link DeadlineIndex#rebuild} when its task starts, and says what it cost. Kafka Streams
 * initializes a task's processors once its stores are restored, so the states are all there.
 */
public final class IndexRebuild {

    private static final Logger log = LoggerFactory.getLogger(IndexRebuild.class);

    private IndexRebuild() {}

    /**
     * @param index the index's name in the log and the {@code index} tag: a fixed word per processor
     * @param rebuild puts the deadlines back; returns how many states it read
     */
    public static void run(TaskId task, String index, LongSupplier rebuild, StreamsMeters meters) {
        long started = System.nanoTime();
        long statesRead = rebuild.getAsLong();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        meters.indexRebuilt(index, took);
        if (statesRead > 0) {
            log.info(
                    "Task {}: {} deadline index rebuilt from {} states in {} ms",
                    task,
                    index,
                    statesRead,
                    took.toMillis());
        }
    }
}
