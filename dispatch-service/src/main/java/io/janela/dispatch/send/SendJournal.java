package io.janela.dispatch.send;

import io.janela.avro.SendJournalEntry;
import io.janela.avro.SendKind;
import io.janela.avro.SendState;
import io.janela.serde.RegistryRetry;
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
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * DONE command is skipped (its result is already out), an ATTEMPTING one is in doubt. While the schema registry
 * cannot be reached, the load waits at the entry it could not read and reads it again ({@link RegistryRetry}): an
 * entry is never skipped, since a missed ATTEMPTING entry is a send made twice.
 */
final class SendJournal {

    private static final Logger log = LoggerFactory.getLogger(SendJournal.class);

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final Deserializer<SendJournalEntry> values;
    private final Duration registryRetryMaxBackoff;
    private final Runnable registryUnavailable;
    private final Map<Integer, Map<String, SendJournalEntry>> byPartition = new HashMap<>();

    /**
     * @param registryRetryMaxBackoff the longest pause before an entry the registry could not serve is read again
     * @param registryUnavailable called for each such read (a metric)
     */
    SendJournal(
            String topic,
            Map<String, Object> consumerConfig,
            Deserializer<SendJournalEntry> values,
            Duration registryRetryMaxBackoff,
            Runnable registryUnavailable) {
        this.topic = topic;
        this.consumerConfig = consumerConfig;
        this.values = values;
        this.registryRetryMaxBackoff = registryRetryMaxBackoff;
        this.registryUnavailable = registryUnavailable;
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
            RegistryRetry registryRetry = new RegistryRetry(registryRetryMaxBackoff);
            while (assigned.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the send journal of " + partitions + " did not load within " + timeout);
                }
                try {
                    for (ConsumerRecord<String, SendJournalEntry> record : consumer.poll(Duration.ofMillis(100))) {
                        apply(record.partition(), record.key(), record.value());
                    }
                    registryRetry.succeeded();
                } catch (RecordDeserializationException e) {
                    if (!RegistryRetry.isTransient(e)) {
                        throw e;
                    }
                    waitForRegistry(consumer, e, registryRetry.failed(), deadline);
                }
            }
        }
    }

    /** Seeks back to the entry the registry could not serve and waits before it is read again. */
    private void waitForRegistry(
            KafkaConsumer<String, SendJournalEntry> consumer,
            RecordDeserializationException failure,
            Duration pause,
            long deadline) {
        registryUnavailable.run();
        log.warn(
                "Schema registry unreachable while loading the send journal at {}@{}; reading it again in {}",
                failure.topicPartition(),
                failure.offset(),
                pause);
        consumer.seek(failure.topicPartition(), failure.offset());
        long nanos = Math.min(pause.toNanos(), Math.max(0, deadline - System.nanoTime()));
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
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
