package io.janela.testsupport.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * One timed run of a Kafka Streams application over pre-loaded input topics, for a four-cell benchmark (DESIGN.md §5):
 * input records per second, from RUNNING until the application has committed every record of its inputs and of its
 * own repartition topics and has written exactly the expected number of records to its outputs (read committed, so
 * aborted transactions do not count). The run fails when it writes more or fewer, or does not finish in time.
 *
 * @param bootstrapServers the broker
 * @param inputs the topics the application reads, pre-loaded
 * @param outputs the topics whose records are counted (none: only the inputs' progress is timed)
 * @param expectedOutputs how many records the outputs must receive
 * @param timeout how long the run may take from RUNNING
 */
public record ThroughputRun(
        String bootstrapServers, List<String> inputs, List<String> outputs, long expectedOutputs, Duration timeout) {

    /** How long the outputs must stay quiet once the expected count is reached, for the count to be exact. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    public ThroughputRun {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * Runs {@code topology} as application {@code config}'s {@code application.id}, from the earliest offsets, and
     * returns {@code inputRecords} divided by the seconds from RUNNING until it was done. The application leaves its
     * group when closed, so that the next one on the same broker starts at once.
     */
    public double recordsPerSecond(Topology topology, Properties config, long inputRecords) throws Exception {
        String applicationId = config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        Properties properties = new Properties();
        properties.putAll(config);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        CountDownLatch running = new CountDownLatch(1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
                KafkaConsumer<byte[], byte[]> written = outputReader(admin)) {
            KafkaStreams streams = new KafkaStreams(topology, properties);
            try {
                streams.setStateListener((now, before) -> {
                    if (now == KafkaStreams.State.RUNNING) {
                        running.countDown();
                    }
                });
                streams.start();
                if (!running.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(applicationId + " did not reach RUNNING");
                }
                long started = System.nanoTime();
                long done = awaitDone(admin, written, applicationId, started);
                return inputRecords / ((done - started) / 1e9);
            } finally {
                streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(30)));
            }
        }
    }

    /** A read-committed consumer placed at the outputs' current ends: what it reads from here on is this run's. */
    private KafkaConsumer<byte[], byte[]> outputReader(Admin admin) throws Exception {
        return readerAtEnd(bootstrapServers, admin, outputs);
    }

    /**
     * A read-committed consumer of {@code topics}, placed at their read-committed ends: what it reads from here on was
     * committed after this call.
     */
    public static KafkaConsumer<byte[], byte[]> readerAtEnd(String bootstrapServers, Admin admin, List<String> topics)
            throws Exception {
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
        Map<TopicPartition, Long> starts = committedEnds(admin, topics);
        consumer.assign(starts.keySet());
        starts.forEach(consumer::seek);
        return consumer;
    }

    /** Returns System.nanoTime() when the application was first seen done; then checks the outputs stay exact. */
    private long awaitDone(Admin admin, KafkaConsumer<byte[], byte[]> written, String applicationId, long started)
            throws Exception {
        long deadline = started + timeout.toNanos();
        long count = 0;
        while (System.nanoTime() < deadline) {
            if (!outputs.isEmpty()) {
                count += written.poll(Duration.ofMillis(20)).count();
            } else {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            if (count > expectedOutputs) {
                throw new IllegalStateException(
                        applicationId + " wrote " + count + " output records, expected " + expectedOutputs);
            }
            if (count == expectedOutputs && caughtUp(admin, applicationId)) {
                long done = System.nanoTime();
                long quietUntil = done + QUIET.toNanos();
                while (System.nanoTime() < quietUntil && !outputs.isEmpty()) {
                    count += written.poll(Duration.ofMillis(100)).count();
                }
                if (count != expectedOutputs) {
                    throw new IllegalStateException(
                            applicationId + " wrote " + count + " output records, expected " + expectedOutputs);
                }
                return done;
            }
        }
        throw new IllegalStateException(applicationId + " was not done within " + timeout + " (" + count + " of "
                + expectedOutputs + " output records)");
    }

    /**
     * Every input partition committed to its end, and every repartition topic of the application too. A topic written
     * in transactions ends with a commit marker, which takes an offset and is never consumed: one short of the end is
     * the end there.
     */
    private boolean caughtUp(Admin admin, String applicationId) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata()
                .get();
        List<String> repartition = admin.listTopics().names().get().stream()
                .filter(name -> name.startsWith(applicationId + "-") && name.endsWith("-repartition"))
                .toList();
        List<String> sources = new ArrayList<>(inputs);
        sources.addAll(repartition);
        for (Map.Entry<TopicPartition, Long> end : committedEnds(admin, sources).entrySet()) {
            OffsetAndMetadata offset = committed.get(end.getKey());
            long slack = inputs.contains(end.getKey().topic()) ? 0 : 1;
            if (end.getValue() > 0 && (offset == null || offset.offset() < end.getValue() - slack)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Creates a benchmark's topics and waits until every partition has its leader: writing before that makes a bulk
     * producer retry out of sequence.
     */
    public static void createTopics(String bootstrapServers, List<NewTopic> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            List<String> names = topics.stream().map(NewTopic::name).toList();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (admin.describeTopics(names).allTopicNames().get().values().stream()
                    .flatMap(description -> description.partitions().stream())
                    .anyMatch(partition ->
                            partition.leader() == null || partition.leader().isEmpty())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the benchmark's topics have no leaders after 60 s");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    /** The read-committed end offset of every partition of {@code topics} (none: empty). */
    public static Map<TopicPartition, Long> committedEnds(Admin admin, List<String> topics) throws Exception {
        if (topics.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics)
                .allTopicNames()
                .get()
                .forEach((name, description) -> description
                        .partitions()
                        .forEach(partition ->
                                latest.put(new TopicPartition(name, partition.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get()
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    /**
     * Prints the records application {@code applicationId} wrote to each of its internal topics (repartition topics and
     * changelogs), per input record: what a like-for-like pass-through must write as many of.
     */
    public static void printWritten(String bootstrapServers, String applicationId, long inputRecords) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            List<String> internal = admin.listTopics().names().get().stream()
                    .filter(name -> name.startsWith(applicationId + "-"))
                    .sorted()
                    .toList();
            for (String name : internal) {
                long written = committedEnds(admin, List.of(name)).values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
                System.out.printf(
                        "  %s: %,d offsets (%.2f per input record; under exactly-once, commit markers included)%n",
                        name, written, (double) written / inputRecords);
            }
        }
    }
}
