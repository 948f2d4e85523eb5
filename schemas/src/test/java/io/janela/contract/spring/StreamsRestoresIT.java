package io.janela.contract.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.testsupport.kafka.KafkaBrokerExtension;
import io.janela.testsupport.kafka.TopicReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, on a real broker with Kafka Streams 4.4 under exactly-once and transactional state stores, as every
 * Janela app runs: an instance restarted on its state directory restores from its store's committed offset, and one
 * whose state directory was wiped restores the whole changelog from scratch; {@link StreamsRestores} tells which.
 */
class StreamsRestoresIT {

    private static final int KEYS = 40;

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    Path stateDir;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String input = "restores-in-" + run;
    private final String output = "restores-out-" + run;

    @Test
    void tellsARestartOnItsOwnStateFromARestartWithItsStateWiped() {
        kafka.broker().createTopics(new NewTopic(input, 1, (short) 1), new NewTopic(output, 1, (short) 1));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            for (int key = 0; key < KEYS; key++) {
                producer.send(new ProducerRecord<>(input, "contact-" + key, "hello"));
            }
        }
        MeterRegistry first = new SimpleMeterRegistry();
        try (KafkaStreams streams = start(first);
                TopicReader<String, Long> counts = TopicReader.open(
                        kafka.bootstrapServers(), output, new StringDeserializer(), new LongDeserializer())) {
            counts.awaitRecords(KEYS, Duration.ofSeconds(60));
            leave(streams);
        }
        assertThat(count(first, RestoreMeters.STARTED, "scratch"))
                .as("a first start on an empty changelog restores nothing from scratch")
                .isZero();

        MeterRegistry restarted = new SimpleMeterRegistry();
        try (KafkaStreams streams = start(restarted)) {
            assertThat(count(restarted, RestoreMeters.STARTED, "checkpoint")).isEqualTo(1);
            assertThat(count(restarted, RestoreMeters.STARTED, "scratch")).isZero();
            assertThat(count(restarted, RestoreMeters.RESTORED, "scratch")).isZero();
            leave(streams);
            streams.cleanUp();
        }

        MeterRegistry wiped = new SimpleMeterRegistry();
        try (KafkaStreams streams = start(wiped)) {
            assertThat(count(wiped, RestoreMeters.STARTED, "scratch")).isEqualTo(1);
            assertThat(count(wiped, RestoreMeters.RESTORED, "scratch")).isEqualTo(KEYS);
            assertThat(count(wiped, RestoreMeters.STARTED, "checkpoint")).isZero();
        }
    }

    /** Starts the app with a restore listener counting into {@code registry}; returns once it is RUNNING. */
    private KafkaStreams start(MeterRegistry registry) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey(Grouped.as("by-contact"))
                .count(Named.as("count"), Materialized.as("counts"))
                .toStream(Named.as("counts-out"))
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        Topology topology = builder.build();
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "restores-" + run);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        KafkaStreams streams = new KafkaStreams(topology, config);
        StreamsRestores restores = new StreamsRestores(new RestoreMeters(registry));
        streams.setGlobalStateRestoreListener(restores);
        streams.setStateListener(restores.registeringStoresOf(topology::describe, (now, before) -> {}));
        streams.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }

    /** Closes, leaving the group so that the next start need not wait out this member's session. */
    private static void leave(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }

    private static double count(MeterRegistry registry, String meter, String from) {
        return registry.get(meter)
                .tag("store", "counts")
                .tag("from", from)
                .counter()
                .count();
    }
}
