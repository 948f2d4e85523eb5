package io.janela.dispatch.send;

import io.janela.avro.SendJournalEntry;
import io.janela.avro.SendKind;
import io.janela.avro.SendState;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The sender's write-ahead journal (whatsapp.dispatch.send-journal, compacted, key {@code {kind}:{requestId}}, on the
 * partition of the request's send command). Written in the sender's transactions:
 *
 * <ul>
 *   <li>ATTEMPTING before each call to Meta (the transaction commits before the call is made), so that a crash during
 *       the call leaves a trace;
 *   <li>DONE with the request's result;
 *   <li>a tombstone once the send commands' committed offset has passed the command, so that the journal holds only
 *       the commands not yet behind the committed offset.
 * </ul>
 *
 * When a partition is assigned, its journal is read to its end (committed records only, waiting for open
 * transactions to end) before its commands are: a
 * DONE command is skipped (its result is already out), an ATTEMPTING one is in doubt.
 */
final class SendJournal {

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final Deserializer<SendJournalEntry> values;
    private final Map<Integer, Map<String, SendJournalEntry>> byPartition = new HashMap<>();

    SendJournal(String topic, Map<String, Object> consumerConfig, Deserializer<SendJournalEntry> values) {
        this.topic = topic;
        this.consumerConfig = consumerConfig;
        this.values = values;
    }

    /**
     * Reads the journal of these partitions, committed records only, up to the end the partitions have now (their high
     * watermark, not their last stable offset): records of a transaction still open (a previous owner that stalled
     * past the session timeout but not the transaction timeout) are waited for until that transaction is committed or
     * aborted, so that its ATTEMPTING entries are not missed. Call it only once the send-command consumer's position
     * on these partitions is known (see {@link Sender}).
     */
    void load(Collection<Integer> partitions, Duration timeout) {
        if (partitions.isEmpty()) {
            return;
        }
        List<TopicPartition> assigned =
                partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
        Map<TopicPartition, Long> end;
        try (KafkaConsumer<String, SendJournalEntry> ends =
                new KafkaConsumer<>(loaderConfig("read_uncommitted"), new StringDeserializer(), values)) {
            end = ends.endOffsets(assigned, timeout);
        }
        try (KafkaConsumer<String, SendJournalEntry> consumer =
                new KafkaConsumer<>(loaderConfig("read_committed"), new StringDeserializer(), values)) {
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            for (TopicPartition partition : assigned) {
                byPartition.put(partition.partition(), new HashMap<>());
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (assigned.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the send journal of " + partitions + " did not load within " + timeout);
                }
                for (ConsumerRecord<String, SendJournalEntry> record : consumer.poll(Duration.ofMillis(100))) {
                    apply(record.partition(), record.key(), record.value());
                }
            }
        }
    }

    private Map<String, Object> loaderConfig(String isolationLevel) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "dispatch-send-journal-loader");
        return config;
    }

    /** One journal record of a partition being loaded: an entry, or a tombstone ({@code null}). */
    void apply(int partition, String journalKey, SendJournalEntry entry) {
        Map<String, SendJournalEntry> entries = byPartition.computeIfAbsent(partition, p -> new HashMap<>());
        if (entry == null) {
            entries.remove(journalKey);
        } else {
            entries.put(journalKey, entry);
        }
    }

    SendJournalEntry get(int partition, String journalKey) {
        Map<String, SendJournalEntry> entries = byPartition.get(partition);
        return entries == null ? null : entries.get(journalKey);
    }

    void forget(Collection<Integer> partitions) {
        partitions.forEach(byPartition::remove);
    }

    /** Journal entries loaded but not seen again among the commands read: written by an instance long gone. */
    Set<String> keys(int partition) {
        return byPartition.getOrDefault(partition, Map.of()).keySet().stream().collect(Collectors.toSet());
    }

    ProducerRecord<String, SendJournalEntry> attempting(Pending pending, int attempt, Instant at) {
        return record(pending, SendState.ATTEMPTING, attempt, at);
    }

    ProducerRecord<String, SendJournalEntry> done(Pending pending, Instant at) {
        return record(pending, SendState.DONE, pending.attempts, at);
    }

    /** Marks the unreadable send command at {@code offset} answered (FAILED), so that a restart does not answer it again. */
    ProducerRecord<String, SendJournalEntry> unreadable(int partition, long offset, Instant at) {
        SendJournalEntry entry = SendJournalEntry.newBuilder()
                .setRequestId("")
                .setKind(SendKind.UNKNOWN)
                .setState(SendState.DONE)
                .setAttempt(0)
                .setAt(at)
                .setCommandOffset(offset)
                .build();
        return new ProducerRecord<>(topic, partition, UnreadableCommand.journalKey(offset), entry);
    }

    ProducerRecord<String, SendJournalEntry> tombstone(int partition, String journalKey) {
        return new ProducerRecord<>(topic, partition, journalKey, null);
    }

    private ProducerRecord<String, SendJournalEntry> record(Pending pending, SendState state, int attempt, Instant at) {
        SendKind kind = pending.command.getKind();
        SendJournalEntry entry = SendJournalEntry.newBuilder()
                .setRequestId(pending.requestId())
                .setKind(kind)
                .setState(state)
                .setAttempt(attempt)
                .setAt(at)
                .setCommandOffset(pending.offset)
                .setFallbackActive(pending.fallbackActive)
                .setPrimaryRefusedWith(pending.refusedWith)
                .setPrimaryRefusedAt(pending.refusedAt)
                .build();
        return new ProducerRecord<>(topic, pending.partition.partition(), pending.journalKey, entry);
    }
}
