package io.janela.dispatch.send;

import io.janela.avro.DispatchResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Assembles and commits the sender's transactions, one Kafka session's worth (its transactional producer). A
 * transaction holds, in this order:
 *
 * <ol>
 *   <li>extra records (journal tombstones of calls withdrawn before they were made);
 *   <li>ATTEMPTING journal entries for the calls about to be made: the caller makes them only after {@link #commit}
 *       returned, so that every call Meta may have is journaled (committed) first;
 *   <li>each final result with its command's DONE entry: a result and the journal's knowledge that it is out commit
 *       together, so a restart neither loses nor repeats it;
 *   <li>FAILED results of send commands that could not be read, with their UNREADABLE entries;
 *   <li>the command offsets up to the lowest command still open on each partition, with tombstones for the journal
 *       entries of the done commands they pass, sent to the transaction with the consumer's group metadata even when
 *       unchanged: that ties the transaction to the group's generation, so that an instance that lost its partitions
 *       cannot journal an attempt and then make the call (its commit is fenced).
 * </ol>
 *
 * Results and offsets may wait up to {@code commitInterval} for the next transaction; attempts never wait.
 * Single-threaded: the send loop owns it.
 */
final class SenderTransactions {

    /** A send command that could not be read, where it was. */
    record Unreadable(TopicPartition partition, long offset, UnreadableCommand command) {}

    private final Producer<String, Object> producer;
    private final Supplier<ConsumerGroupMetadata> group;
    private final SendJournal journal;
    private final String resultsTopic;
    private final Duration commitInterval;
    private final Map<TopicPartition, PartitionProgress> progress;
    private final Consumer<Pending> published;
    private final SenderMetrics metrics;

    /** Final results not committed yet: they ride with the next transaction, at most a commit interval later. */
    private final List<SendScheduler.Finish> unpublished = new ArrayList<>();
    /** Send commands that could not be read, answered FAILED with the next transaction. */
    private final List<Unreadable> unreadable = new ArrayList<>();

    private Instant lastCommit = Instant.MIN;

    /**
     * @param progress the partitions held and what is open on each (shared with the send loop: a result's offset is
     *     marked done here, once it is in a transaction)
     * @param published called for each command whose result went into a transaction
     */
    SenderTransactions(
            Producer<String, Object> producer,
            Supplier<ConsumerGroupMetadata> group,
            SendJournal journal,
            String resultsTopic,
            Duration commitInterval,
            Map<TopicPartition, PartitionProgress> progress,
            Consumer<Pending> published,
            SenderMetrics metrics) {
        this.producer = producer;
        this.group = group;
        this.journal = journal;
        this.resultsTopic = resultsTopic;
        this.commitInterval = commitInterval;
        this.progress = progress;
        this.published = published;
        this.metrics = metrics;
    }

    /** Final results for the next transaction. */
    void publish(Collection<SendScheduler.Finish> finished) {
        unpublished.addAll(finished);
    }

    /** A FAILED result for an unreadable send command, for the next transaction. */
    void unreadable(Unreadable command) {
        unreadable.add(command);
    }

    /** Forgets the unreadable commands of partitions lost (their next owner answers them). */
    void forget(Collection<TopicPartition> partitions) {
        unreadable.removeIf(command -> partitions.contains(command.partition()));
    }

    /**
     * One transaction: attempts about to be made, final results, extra journal records, and the offsets they allow to
     * commit. Skipped when there is nothing to write and the offsets did not move (or moved less than a commit
     * interval ago), unless {@code force}.
     */
    void commit(
            List<SendScheduler.Start> starts, List<ProducerRecord<String, Object>> extra, Instant now, boolean force) {
        boolean due = Duration.between(lastCommit, now).compareTo(commitInterval) >= 0;
        boolean waiting = !unpublished.isEmpty()
                || !unreadable.isEmpty()
                || progress.values().stream().anyMatch(PartitionProgress::advanced);
        // Attempts must be journaled before their calls; results and offsets can wait for the commit interval, so
        // that a busy sender commits a few times a second rather than at every step.
        if (!force && starts.isEmpty() && extra.isEmpty() && !(waiting && due)) {
            return;
        }
        List<SendScheduler.Finish> finished = List.copyOf(unpublished);
        unpublished.clear();
        long began = System.nanoTime();
        producer.beginTransaction();
        extra.forEach(producer::send);
        for (SendScheduler.Start start : starts) {
            producer.send(asObject(journal.attempting(start.pending(), start.attempt(), now)));
        }
        for (SendScheduler.Finish finish : finished) {
            Pending pending = finish.pending();
            DispatchResult result = finish.result();
            producer.send(new ProducerRecord<>(resultsTopic, pending.contactKey, result));
            producer.send(asObject(journal.done(pending, now)));
            progress.get(pending.partition).done(pending.offset);
            published.accept(pending);
            metrics.result(result);
        }
        for (Unreadable command : List.copyOf(unreadable)) {
            producer.send(new ProducerRecord<>(
                    resultsTopic, command.command().key(), command.command().result()));
            producer.send(asObject(journal.unreadable(command.partition().partition(), command.offset(), now)));
            PartitionProgress partitionProgress = progress.get(command.partition());
            if (partitionProgress != null) {
                partitionProgress.done(command.offset());
            }
            metrics.result(command.command().result());
        }
        unreadable.clear();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        progress.forEach((partition, partitionProgress) -> {
            long committable = partitionProgress.committable();
            if (committable >= 0) {
                offsets.put(partition, new OffsetAndMetadata(committable));
                for (String key : partitionProgress.committedUpTo(committable)) {
                    producer.send(asObject(journal.tombstone(partition.partition(), key)));
                }
            }
        });
        producer.sendOffsetsToTransaction(offsets, group.get());
        producer.commitTransaction();
        metrics.committed(Duration.ofNanos(System.nanoTime() - began));
        lastCommit = now;
    }

    @SuppressWarnings("unchecked")
    static ProducerRecord<String, Object> asObject(ProducerRecord<String, ?> record) {
        return (ProducerRecord<String, Object>) record;
    }
}
