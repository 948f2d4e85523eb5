package io.janela.testfixtures.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.testsupport.benchmark.ThroughputRun;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The restart benchmark's probe reader on a real broker: it sees only what is written after it was placed, finds a
 * probe's marker inside a record's value (as Avro writes an id: a length, then UTF-8 bytes, between other fields) or
 * key, and gives up after its limit.
 */
class OutputWatchTest {

    private static final String TOPIC = "restart.output-watch";

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @BeforeAll
    static void topic() throws Exception {
        ThroughputRun.createTopics(kafka.bootstrapServers(), List.of(new NewTopic(TOPIC, 3, (short) 1)));
    }

    @Test
    void findsAMarkerWrittenAfterItWasPlacedAndNotOneWrittenBefore() throws Exception {
        write("before", value("restart-probe-000001"));
        try (OutputWatch watch = OutputWatch.atEnd(kafka.bootstrapServers(), List.of(TOPIC))) {
            write("unrelated", value("restart-probe-000002"));
            write("after", value("restart-probe-000003"));

            assertThat(watch.awaitMarker("restart-probe-000003", Duration.ofSeconds(30), () -> {}))
                    .isTrue();
        }
        try (OutputWatch watch = OutputWatch.atEnd(kafka.bootstrapServers(), List.of(TOPIC))) {
            assertThat(watch.awaitMarker("restart-probe-000001", Duration.ofSeconds(2), () -> {}))
                    .as("a record written before the watch was placed")
                    .isFalse();
        }
    }

    @Test
    void findsAMarkerInTheKey() throws Exception {
        try (OutputWatch watch = OutputWatch.atEnd(kafka.bootstrapServers(), List.of(TOPIC))) {
            write("106540352242922:US.00000000000000000007", value("no marker here"));

            assertThat(watch.awaitMarker("106540352242922:US.00000000000000000007", Duration.ofSeconds(30), () -> {}))
                    .isTrue();
        }
    }

    /** A value shaped as Avro writes a record with a string field between others. */
    private static byte[] value(String id) {
        byte[] text = id.getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[text.length + 4];
        value[0] = 7;
        value[1] = (byte) (text.length * 2);
        System.arraycopy(text, 0, value, 2, text.length);
        value[value.length - 2] = 1;
        value[value.length - 1] = 42;
        return value;
    }

    private static void write(String key, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, key.getBytes(StandardCharsets.UTF_8), value))
                    .get();
        }
    }
}
