package io.janela.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.contract.TopicDescriptor;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

class OutputRoutesTest {

    static final Instant WALL_CLOCK = Instant.parse("2026-12-07T03:00:00Z");
    static final Instant TWO_YEARS_AGO = WALL_CLOCK.minus(Duration.ofDays(730));

    /** A processor's outputs: a greeting for one topic, a count for another, and a kind nobody routes. */
    sealed interface Output {}

    record Greeting(String text) implements Output {}

    record Count(long value) implements Output {}

    record Unrouted() implements Output {}

    @Test
    void eachKindGoesAsItsRecordAtItsRecordTimeToItsTopicUnderTheNamesGivenAndAnUnroutedKindGoesNowhere() {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, Output> outputs = builder.stream(
                        "in", Consumed.with(Serdes.String(), Serdes.String()).withName("in-source"))
                .mapValues(
                        value -> switch (value) {
                            case "count" -> new Count(value.length());
                            case "unrouted" -> new Unrouted();
                            default -> new Greeting("hello " + value);
                        },
                        Named.as("as-output"));
        OutputRoutes.split(outputs, "out-")
                .route(
                        Greeting.class,
                        Greeting::text,
                        RecordTime.FORWARDED,
                        new TopicDescriptor<>("greetings", Serdes.String(), Serdes.String(), false),
                        "greetings",
                        "greeting")
                .route(
                        Count.class,
                        Count::value,
                        RecordTime.WRITTEN,
                        "counts",
                        Produced.with(Serdes.String(), Serdes.Long()),
                        "counts",
                        "count");
        Topology topology = builder.build();

        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "output-routes-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, properties, WALL_CLOCK)) {
            TestInputTopic<String, String> in =
                    driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
            TestOutputTopic<String, String> greetings =
                    driver.createOutputTopic("greetings", new StringDeserializer(), new StringDeserializer());
            TestOutputTopic<String, Long> counts = driver.createOutputTopic(
                    "counts", new StringDeserializer(), Serdes.Long().deserializer());

            in.pipeInput("a", "ana", TWO_YEARS_AGO);
            in.pipeInput("b", "count", TWO_YEARS_AGO);
            in.pipeInput("c", "unrouted", TWO_YEARS_AGO);

            assertThat(greetings.readRecordsToList()).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("a");
                assertThat(record.value()).isEqualTo("hello ana");
                assertThat(record.getRecordTime()).as("forwarded: the input's").isEqualTo(TWO_YEARS_AGO);
            });
            assertThat(counts.readRecordsToList()).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("b");
                assertThat(record.value()).isEqualTo(5L);
                assertThat(record.getRecordTime())
                        .as("written: the wall clock's")
                        .isEqualTo(WALL_CLOCK);
            });
        }
        assertThat(topology.describe().toString())
                .contains(
                        "out-greeting",
                        "greetings-unwrap",
                        "greetings-sink",
                        "out-count",
                        "counts-unwrap",
                        "counts-sink");
    }
}
