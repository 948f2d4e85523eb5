package io.janela.dispatch.send;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * What the sender does when its send-commands partitions change, in the order that keeps two instances from sending
 * the same command:
 *
 * <ul>
 *   <li>revoked or lost: the pacer stops making calls of the partitions <em>first</em> ({@link
 *       Partitions#release}); then, revoked, the partitions are handed over (calls waiting for their slot withdrawn,
 *       calls in flight given the shutdown timeout, results and offsets committed); lost, they are abandoned (nothing
 *       committed: another instance owns them already, and finds what was in flight in doubt);
 *   <li>assigned: the consumer's position on every partition is established first (read_committed: it is known only
 *       once the previous owner's transaction holding offsets of the partition has ended), then the journal is read,
 *       and only then are the partitions held (their commands read and called);
 *   <li>either way, the rates are set for the partitions held afterwards.
 * </ul>
 *
 * Runs on the send loop's thread, inside the consumer's poll.
 */
final class AssignmentListener implements ConsumerRebalanceListener {

    private static final Duration POSITION_TIMEOUT = Duration.ofMinutes(2);

    /** The sender's side of a change of partitions. */
    interface Partitions {

        /** The pacer makes no more calls of these partitions. */
        void release(Collection<TopicPartition> partitions);

        /** Revoked: withdraws calls not made, waits for calls in flight, commits, forgets the partitions. */
        void handOver(Collection<TopicPartition> partitions);

        /** Lost: forgets the partitions without committing anything. */
        void abandon(Collection<TopicPartition> partitions);

        /** Reads the journal of these partitions (their consumer position is known). */
        void loadJournal(Collection<TopicPartition> partitions);

        /** Starts reading and calling for these partitions (their journal is loaded). */
        void hold(Collection<TopicPartition> partitions);

        /** Sets each number's rate for the partitions held from now on. */
        void rates(Collection<TopicPartition> held);
    }

    private final Consumer<?, ?> consumer;
    private final Partitions sender;

    AssignmentListener(Consumer<?, ?> consumer, Partitions sender) {
        this.consumer = consumer;
        this.sender = sender;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        sender.release(partitions);
        sender.handOver(partitions);
        sender.rates(keptOf(partitions));
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        loadAfterPosition(consumer, partitions, sender::loadJournal);
        sender.hold(partitions);
        sender.rates(consumer.assignment());
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        sender.release(partitions);
        sender.abandon(partitions);
        sender.rates(keptOf(partitions));
    }

    private Set<TopicPartition> keptOf(Collection<TopicPartition> leaving) {
        Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
        kept.removeAll(leaving);
        return kept;
    }

    /**
     * Establishes the consumer's position on each newly assigned partition, then loads their journal. The position
     * (read_committed: the committed offset is fetched as stable) is known only once the previous owner's pending
     * transaction is fenced or resolved; loading the journal before that could miss ATTEMPTING entries that a stalled
     * previous owner commits afterwards, and both would send.
     */
    static void loadAfterPosition(
            Consumer<?, ?> consumer,
            Collection<TopicPartition> partitions,
            java.util.function.Consumer<Collection<TopicPartition>> loadJournal) {
        for (TopicPartition partition : partitions) {
            consumer.position(partition, POSITION_TIMEOUT);
        }
        loadJournal.accept(partitions);
    }
}
