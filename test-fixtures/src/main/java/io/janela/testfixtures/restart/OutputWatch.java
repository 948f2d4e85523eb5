package io.janela.testfixtures.restart;

import io.janela.testsupport.benchmark.ThroughputRun;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

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

    static OutputWatch atEnd(String bootstrapServers, List<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return new OutputWatch(ThroughputRun.readerAtEnd(bootstrapServers, admin, topics));
        }
    }

    /** From {@code child}'s start until a record holding {@code marker} is read; fails after {@code limit}. */
    Duration await(String marker, ServiceChild child, Duration limit) {
        if (!awaitMarker(marker, child.sinceStart().minus(limit).negated(), child::checkAlive)) {
            throw new IllegalStateException("no output for probe " + marker + " within " + limit);
        }
        return child.sinceStart();
    }

    /**
     * Reads until a record whose key or value holds {@code marker}; false when none came within {@code limit}.
     * {@code check} runs between polls (it throws to stop the wait, e.g. when the service has exited).
     */
    boolean awaitMarker(String marker, Duration limit, Runnable check) {
        byte[] wanted = marker.getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            check.run();
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                if (holds(record.key(), wanted) || holds(record.value(), wanted)) {
                    return true;
                }
            }
        }
        return false;
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
