package io.janela.testsupport.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads one topic from its beginning, for assertions in integration tests. It assigns every partition itself (no
 * consumer group, so no rebalance to wait for) and reads only committed records, as exactly-once consumers do.
 */
public final class TopicReader<K, V> implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final String topic;
    private final KafkaConsumer<K, V> consumer;
    private final List<ConsumerRecord<K, V>> received = new ArrayList<>();

    private TopicReader(String topic, KafkaConsumer<K, V> consumer) {
        this.topic = topic;
        this.consumer = consumer;
    }

    /** Opens a reader positioned at the beginning of every partition; waits up to 30 s for the topic to exist. */
    public static <K, V> TopicReader<K, V> open(
            String bootstrapServers, String topic, Deserializer<K> keys, Deserializer<V> values) {
        KafkaConsumer<K, V> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        "test-reader-" + topic + "-" + UUID.randomUUID(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        "false"),
                keys,
                values);
        try {
            List<TopicPartition> partitions = partitionsOf(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return new TopicReader<>(topic, consumer);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    private static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> consumer, String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream()
                        .map(info -> new TopicPartition(topic, info.partition()))
                        .toList();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("topic " + topic + " does not exist after 30 s");
            }
        }
    }

    /**
     * Polls until at least {@code count} records arrived since the reader opened, and returns all of them in arrival
     * order; fails with what did arrive when the timeout passes first.
     */
    public List<ConsumerRecord<K, V>> awaitRecords(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected at least " + count + " records on " + topic + " within " + timeout
                        + " but got " + received.size() + ": " + describe(received));
            }
            consumer.poll(POLL).forEach(received::add);
        }
        return List.copyOf(received);
    }

    /**
     * Polls for {@code quietPeriod} and fails if any record beyond those already returned arrives: the way to assert
     * that nothing more was produced.
     */
    public void assertNoMoreRecords(Duration quietPeriod) {
        int before = received.size();
        long deadline = System.nanoTime() + quietPeriod.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(POLL).forEach(received::add);
        }
        if (received.size() > before) {
            throw new AssertionError("expected no more records on " + topic + " but got "
                    + describe(received.subList(before, received.size())));
        }
    }

    /** Every record received so far. */
    public List<ConsumerRecord<K, V>> received() {
        return List.copyOf(received);
    }

    private static String describe(List<? extends ConsumerRecord<?, ?>> records) {
        return records.stream()
                .map(r -> r.partition() + "@" + r.offset() + " " + r.key() + "=" + r.value())
                .toList()
                .toString();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
