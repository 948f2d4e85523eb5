package io.janela.dispatch.send;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Which send-commands partitions the consumer reads. Two reasons stop reading: the sender holds {@code maxQueued}
 * commands (every partition waits until half of them are done), and a partition whose next record could not be read
 * because the schema registry was unreachable (that partition waits for its retry time, then reads the same offset
 * again). Single-threaded (the send loop); {@link #apply} tells the consumer what changed.
 */
final class FlowControl {

    /** What the consumer must pause and resume now. */
    record Change(Set<TopicPartition> pause, Set<TopicPartition> resume) {

        boolean isEmpty() {
            return pause.isEmpty() && resume.isEmpty();
        }
    }

    private final int maxQueued;
    private final Map<TopicPartition, Instant> retryAt = new HashMap<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private boolean full;

    FlowControl(int maxQueued) {
        this.maxQueued = maxQueued;
    }

    /** The partition's next record is read again no earlier than {@code at}. */
    void retryAt(TopicPartition partition, Instant at) {
        retryAt.put(partition, at);
    }

    /** Whether any partition waits for a registry retry. */
    boolean waitingForRegistry() {
        return !retryAt.isEmpty();
    }

    /** Which of the {@code assigned} partitions to pause or resume, for {@code held} commands at {@code now}. */
    Change apply(Collection<TopicPartition> assigned, int held, Instant now) {
        if (!full && held >= maxQueued) {
            full = true;
        } else if (full && held < maxQueued / 2) {
            full = false;
        }
        retryAt.keySet().retainAll(assigned);
        retryAt.values().removeIf(at -> !now.isBefore(at));
        Set<TopicPartition> wanted = new HashSet<>(full ? assigned : retryAt.keySet());
        Set<TopicPartition> pause = new HashSet<>(wanted);
        pause.removeAll(paused);
        Set<TopicPartition> resume = new HashSet<>(paused);
        resume.removeAll(wanted);
        resume.retainAll(assigned);
        paused.clear();
        paused.addAll(wanted);
        return new Change(pause, resume);
    }

    /** Partitions revoked or lost: a partition assigned again starts unpaused. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> {
            retryAt.remove(partition);
            paused.remove(partition);
        });
    }

    /** Forgets everything (a new Kafka session: nothing is paused). */
    void reset() {
        retryAt.clear();
        paused.clear();
        full = false;
    }
}
