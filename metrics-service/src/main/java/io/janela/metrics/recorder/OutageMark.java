package io.janela.metrics.recorder;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The record the recorder stopped at because the schema registry could not serve its schema, so that its back-off
 * starts over only once that record has been read. After a failure every partition is paused and the failed one is
 * sought back; on resume a poll may return only records of other partitions whose schemas are cached, and starting the
 * back-off over on such a batch would make the failed partition fail again at the shortest pause, again and again,
 * for the whole outage. Used by the recording thread only.
 */
final class OutageMark {

    private TopicPartition partition;
    private long offset;

    /** The recorder stopped at this record. */
    void stoppedAt(TopicPartition partition, long offset) {
        this.partition = partition;
        this.offset = offset;
    }

    /**
     * Whether a complete batch, reading up to {@code next} (the next offset per partition), got past the record the
     * recorder stopped at, or that record's partition is no longer held here; clears the mark when so.
     */
    boolean passedBy(Map<TopicPartition, Long> next, Set<TopicPartition> assignment) {
        if (partition == null) {
            return true;
        }
        Long reached = next.get(partition);
        if ((reached != null && reached > offset) || !assignment.contains(partition)) {
            partition = null;
            return true;
        }
        return false;
    }
}
