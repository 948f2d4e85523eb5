package io.janela.testfixtures.restart;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A read-committed reader of a service's output topics, placed at their ends before the service starts, that waits for
 * the record a probe input gives: the first whose key or value holds the probe's marker (Avro writes strings as
 * UTF-8, so an id in a value is found in its bytes).
 */
final class OutputWatch implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;

    private OutputWatch(KafkaConsumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    static OutputWatch atEnd(String bootstrapServers, List<String> topics) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = topics.stream()
                .flatMap(topic ->
                        consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolves the ends now, before the probe is written
        return new OutputWatch(consumer);
    }

    /** From {@code child}'s start until a record holding {@code marker} is read; fails after {@code limit}. */
    Duration await(String marker, ServiceChild child, Duration limit) {
        byte[] wanted = marker.getBytes(StandardCharsets.UTF_8);
        while (child.sinceStart().compareTo(limit) < 0) {
            child.checkAlive();
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                if (holds(record.key(), wanted) || holds(record.value(), wanted)) {
                    return child.sinceStart();
                }
            }
        }
        throw new IllegalStateException("no output for probe " + marker + " within " + limit);
    }

    private static boolean holds(byte[] bytes, byte[] wanted) {
        if (bytes == null) {
            return false;
        }
        for (int i = 0; i + wanted.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + wanted.length, wanted, 0, wanted.length)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
