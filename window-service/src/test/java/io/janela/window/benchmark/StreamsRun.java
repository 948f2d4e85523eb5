package io.janela.window.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * Runs one Kafka Streams application over a pre-loaded input topic and times it from RUNNING until its committed
 * offsets reach the end of the input: the records/s a topology sustains on this broker, exactly-once included.
 */
final class StreamsRun implements AutoCloseable {

    private final KafkaStreams streams;
    private final String applicationId;
    private final String bootstrapServers;
    private final CountDownLatch running = new CountDownLatch(1);

    StreamsRun(Topology topology, String applicationId, String bootstrapServers, Path stateDir, Map<String, ?> extra) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        properties.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        properties.putAll(extra);
        this.applicationId = applicationId;
        this.bootstrapServers = bootstrapServers;
        this.streams = new KafkaStreams(topology, properties);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
    }

    KafkaStreams streams() {
        return streams;
    }

    /** Starts the app and returns how long it took, from RUNNING, to commit every record of {@code input}. */
    Duration drain(String input, long records, Duration timeout) throws Exception {
        streams.start();
        if (!running.await(timeout.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException(applicationId + " did not reach RUNNING");
        }
        long started = System.nanoTime();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, Long> ends = endOffsets(admin, input);
            long deadline = started + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                        .partitionsToOffsetAndMetadata()
                        .get();
                boolean done = ends.entrySet().stream().allMatch(end -> {
                    OffsetAndMetadata offset = committed.get(end.getKey());
                    return offset != null && offset.offset() >= end.getValue();
                });
                if (done) {
                    return Duration.ofNanos(System.nanoTime() - started);
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException(applicationId + " did not process " + records + " records in " + timeout);
    }

    /**
     * Like {@link #drain}, untimed: measures {@code heap} once a tenth of the input is committed and again when all
     * of it is.
     */
    HeapSamples drainSamplingHeap(String input, long records, Duration timeout, java.util.function.LongSupplier heap)
            throws Exception {
        streams.start();
        if (!running.await(timeout.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException(applicationId + " did not reach RUNNING");
        }
        long atTenth = -1;
        long tenth = 0;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, Long> ends = endOffsets(admin, input);
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                        .partitionsToOffsetAndMetadata()
                        .get();
                long done = ends.keySet().stream()
                        .mapToLong(partition -> committed.get(partition) == null
                                ? 0
                                : committed.get(partition).offset())
                        .sum();
                if (atTenth < 0 && done >= total / 10) {
                    tenth = done;
                    atTenth = heap.getAsLong();
                }
                if (done >= total) {
                    return new HeapSamples(tenth, atTenth, done, heap.getAsLong());
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException(applicationId + " did not process " + records + " records in " + timeout);
    }

    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        var partitions = admin.describeTopics(java.util.List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions();
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey, e -> ((ListOffsetsResult.ListOffsetsResultInfo) e.getValue()).offset()));
    }

    /** Leaves the group, as the service does, so that an application started again gets its tasks at once. */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
