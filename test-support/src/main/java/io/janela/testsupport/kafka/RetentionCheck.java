package io.janela.testsupport.kafka;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Shows that a broker's time-based retention has run, for tests that check what it leaves: a control record dated
 * two years ago is written to a topic of its own with the retention given, and the wait ends once retention has
 * deleted it. Run it on a broker that checks retention often ({@code log.retention.check.interval.ms=200}) and rolls
 * segments quickly ({@code log.roll.ms=100}), through {@link UsesKafkaBroker#brokerProperties()}.
 */
public final class RetentionCheck {

    /** The control topic: one partition, kept {@code retention}. */
    public static final String CONTROL_TOPIC = "retention-control";

    private static final Duration TWO_YEARS = Duration.ofDays(730);
    private static final Duration CALL = Duration.ofSeconds(30);

    private RetentionCheck() {}

    /**
     * Writes a control record dated two years ago and waits until retention has deleted it: the broker's retention
     * check ran after this call began, on every topic.
     */
    public static void awaitRun(String bootstrapServers, Duration retention, Duration atMost) throws Exception {
        createControlTopic(bootstrapServers, retention);
        long offset;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(),
                new StringSerializer())) {
            long twoYearsAgo = Instant.now().minus(TWO_YEARS).toEpochMilli();
            offset = producer.send(new ProducerRecord<>(CONTROL_TOPIC, 0, twoYearsAgo, "control", "control"))
                    .get(CALL.toSeconds(), TimeUnit.SECONDS)
                    .offset();
        }
        await().atMost(atMost).until(() -> earliestOffset(bootstrapServers, CONTROL_TOPIC) > offset);
    }

    /**
     * The one record of {@code read} that {@code which} picks, still there and stamped by the broker (a topic with
     * {@code message.timestamp.type=LogAppendTime}) no earlier than {@code appendedFrom}, whatever timestamp its producer
     * set; an {@link AssertionError} saying what was read otherwise.
     */
    public static <K, V> ConsumerRecord<K, V> brokerStamped(
            List<ConsumerRecord<K, V>> read, Predicate<ConsumerRecord<K, V>> which, long appendedFrom) {
        List<ConsumerRecord<K, V>> picked = read.stream().filter(which).toList();
        if (picked.size() != 1) {
            throw new AssertionError("expected the record still there once, found it " + picked.size() + " times among "
                    + read.size() + " read (deleted by retention?)");
        }
        ConsumerRecord<K, V> record = picked.getFirst();
        if (record.timestampType() != TimestampType.LOG_APPEND_TIME || record.timestamp() < appendedFrom) {
            throw new AssertionError("expected a " + TimestampType.LOG_APPEND_TIME + " timestamp from " + appendedFrom
                    + " on, got " + record.timestampType() + " " + record.timestamp());
        }
        return record;
    }

    /** The first offset still in partition 0 of {@code topic}. */
    public static long earliestOffset(String bootstrapServers, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        return offset(bootstrapServers, topic, OffsetSpec.earliest());
    }

    /**
     * The offset after the last one written to partition 0 of {@code topic}, whether or not retention has deleted
     * it since: that something was written, without reading it.
     */
    public static long endOffset(String bootstrapServers, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        return offset(bootstrapServers, topic, OffsetSpec.latest());
    }

    private static long offset(String bootstrapServers, String topic, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = admin(bootstrapServers)) {
            return admin.listOffsets(Map.of(partition, spec))
                    .partitionResult(partition)
                    .get(CALL.toSeconds(), TimeUnit.SECONDS)
                    .offset();
        }
    }

    private static void createControlTopic(String bootstrapServers, Duration retention) throws Exception {
        try (Admin admin = admin(bootstrapServers)) {
            if (!admin.listTopics()
                    .names()
                    .get(CALL.toSeconds(), TimeUnit.SECONDS)
                    .contains(CONTROL_TOPIC)) {
                admin.createTopics(List.of(new NewTopic(CONTROL_TOPIC, 1, (short) 1)
                                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())))))
                        .all()
                        .get(CALL.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }
}
