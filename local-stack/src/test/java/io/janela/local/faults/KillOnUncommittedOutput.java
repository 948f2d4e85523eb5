package io.janela.local.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * SIGKILLs a Streams service the moment one of its output records appears in the log, read {@code read_uncommitted}:
 * exactly-once Streams sends a transaction's records before it commits, so a kill then most likely lands between the
 * records and their commit marker, and the transaction is aborted with an OPENED in it. Whether it was is read
 * afterwards (a record seen {@code read_uncommitted} but not {@code read_committed}).
 */
final class KillOnUncommittedOutput implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Predicate<String> keys;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long armedPid = -1;
    private volatile CompletableFuture<Void> fired = new CompletableFuture<>();

    KillOnUncommittedOutput(String bootstrapServers, String topic, Predicate<String> keys) {
        this.keys = keys;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "fault-kill-trigger-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_uncommitted",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        thread = Thread.ofPlatform().daemon().name("kill-on-uncommitted").start(this::run);
    }

    /**
     * Kills {@code pid} at the next matching record, or after {@code within} without one; whether a record triggered
     * it.
     */
    boolean kill(long pid, Duration within) {
        fired = new CompletableFuture<>();
        armedPid = pid;
        try {
            fired.get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            armedPid = -1;
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void run() {
        while (running) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                long pid = armedPid;
                if (pid > 0 && record.key() != null && keys.test(record.key())) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
                    armedPid = -1;
                    fired.complete(null);
                }
            }
        }
        consumer.close();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
