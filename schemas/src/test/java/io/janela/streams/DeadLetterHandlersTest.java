package io.janela.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.avro.ContactAlias;
import io.janela.contract.DeadLetterHeaders;
import io.janela.serde.AvroSerdeConfig;
import io.janela.serde.SpecificAvroSerde;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.serde.registry.SchemaRegistryClient;
import io.janela.serde.registry.SchemaRegistryException;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadLetterHandlersTest {

    private static final String SOURCE = "whatsapp.contact-aliases";
    private static final String OUTPUT = "aliases-out";
    private static final String DEAD_LETTER = "whatsapp.window.dead-letter";

    private final String scope = "dead-letter-" + UUID.randomUUID();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    DeadLetterHandlersTest() {
        Metrics.addRegistry(meters);
    }

    @AfterEach
    void cleanUp() {
        Metrics.removeRegistry(meters);
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void sendsAnUndecodableRecordAsReceivedToTheDeadLetterTopicWithItsCauseAndGoesOn() {
        try (TopologyTestDriver driver = driver(MockSchemaRegistry.forScope(scope), true)) {
            TestInputTopic<String, byte[]> raw =
                    driver.createInputTopic(SOURCE, new StringSerializer(), new ByteArraySerializer());
            raw.pipeInput("1:US.1", "not avro".getBytes(StandardCharsets.UTF_8));
            aliases(driver).pipeInput("1:2", alias("US.2"));

            TestRecord<byte[], byte[]> dead = deadLetters(driver).readRecord();
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
            assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("1:US.1");
            assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo("UNDECODABLE");
            assertThat(header(dead, DeadLetterHeaders.CAUSE)).contains("unknown magic byte");
            assertThat(header(dead, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(SOURCE);
            assertThat(header(dead, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
            assertThat(header(dead, DeadLetterHeaders.SERVICE)).isEqualTo("dead-letter-test");
            assertThat(deadLetters(driver).isEmpty()).isTrue();
            assertThat(output(driver).readValuesToList())
                    .as("the next record is processed")
                    .hasSize(1);
            assertThat(meters.get("janela.deadletter.records")
                            .tags("source_topic", SOURCE, "stage", "deserialization")
                            .counter()
                            .count())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void sendsARecordWhoseProcessingThrowsToTheDeadLetterTopicAndGoesOn() {
        try (TopologyTestDriver driver = driver(MockSchemaRegistry.forScope(scope), true)) {
            aliases(driver).pipeInput("1:bad", alias("boom"));
            aliases(driver).pipeInput("1:good", alias("US.3"));

            TestRecord<byte[], byte[]> dead = deadLetters(driver).readRecord();
            assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo("PROCESSING_FAILED");
            assertThat(header(dead, DeadLetterHeaders.CAUSE)).contains("IllegalStateException: cannot process boom");
            assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("1:bad");
            assertThat(output(driver).readValuesToList()).hasSize(1);
            assertThat(meters.get("janela.deadletter.records")
                            .tags("stage", "processing")
                            .counter()
                            .count())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void leavesARecordForARetryWhenTheRegistryIsUnreachable() {
        MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);
        int id = registry.register(SOURCE + "-value", ContactAlias.SCHEMA$);
        SchemaRegistryClient unreachable = new UnreachableRegistry();
        try (TopologyTestDriver driver = driver(unreachable, true)) {
            TestInputTopic<String, byte[]> raw =
                    driver.createInputTopic(SOURCE, new StringSerializer(), new ByteArraySerializer());

            assertThatThrownBy(() -> raw.pipeInput("1:US.1", new byte[] {0, 0, 0, 0, (byte) id, 2, 65}))
                    .isInstanceOf(StreamsException.class);
            assertThat(deadLetters(driver).isEmpty()).isTrue();
            assertThat(meters.get("janela.deserialization.deferred").counter().count())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void stopsRatherThanDropsWhenNoDeadLetterTopicIsConfigured() {
        try (TopologyTestDriver driver = driver(MockSchemaRegistry.forScope(scope), false)) {
            TestInputTopic<String, byte[]> raw =
                    driver.createInputTopic(SOURCE, new StringSerializer(), new ByteArraySerializer());

            assertThatThrownBy(() -> raw.pipeInput("1:US.1", "not avro".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(StreamsException.class);
        }
    }

    private TopologyTestDriver driver(SchemaRegistryClient registry, boolean withDeadLetterTopic) {
        SpecificAvroSerde<ContactAlias> values = new SpecificAvroSerde<>(ContactAlias.class, registry);
        values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope), false);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(SOURCE, Consumed.with(Serdes.String(), values).withName("aliases-source"))
                .mapValues(
                        alias -> {
                            if (alias.getContactId().equals("boom")) {
                                throw new IllegalStateException("cannot process boom");
                            }
                            return alias;
                        },
                        Named.as("check"))
                .to(OUTPUT, Produced.with(Serdes.String(), values).withName("aliases-sink"));
        Topology topology = builder.build();
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "dead-letter-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationExceptionHandler.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingExceptionHandler.class);
        if (withDeadLetterTopic) {
            config.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DEAD_LETTER);
        }
        return new TopologyTestDriver(topology, config);
    }

    private TestInputTopic<String, ContactAlias> aliases(TopologyTestDriver driver) {
        SpecificAvroSerde<ContactAlias> values = new SpecificAvroSerde<>(ContactAlias.class);
        values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope), false);
        return driver.createInputTopic(SOURCE, new StringSerializer(), values.serializer());
    }

    private static TestOutputTopic<byte[], byte[]> deadLetters(TopologyTestDriver driver) {
        return driver.createOutputTopic(DEAD_LETTER, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static TestOutputTopic<byte[], byte[]> output(TopologyTestDriver driver) {
        return driver.createOutputTopic(OUTPUT, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static ContactAlias alias(String contactId) {
        return ContactAlias.newBuilder()
                .setPhoneNumberId("1")
                .setWaId("2")
                .setContactId(contactId)
                .setSeenAt(Instant.EPOCH)
                .build();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A registry that cannot be reached, as during an outage. */
    private static final class UnreachableRegistry implements SchemaRegistryClient {
        private static SchemaRegistryException down() {
            return new SchemaRegistryException("schema registry unreachable", new ConnectException());
        }

        @Override
        public int register(String subject, Schema schema) {
            throw down();
        }

        @Override
        public int idOf(String subject, Schema schema) {
            throw down();
        }

        @Override
        public Schema schemaById(int id) {
            throw down();
        }

        @Override
        public io.janela.serde.registry.RegisteredSchema latest(String subject) {
            throw down();
        }
    }
}
