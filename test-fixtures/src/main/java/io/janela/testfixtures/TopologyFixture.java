package io.janela.testfixtures;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.serde.registry.MockSchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A {@link TopologyTestDriver} for one test, in two steps: {@link #create} gives the {@code mock://} registry scope
 * (unique to this fixture), the serdes and topic descriptors bound to it, and the Streams properties (application id,
 * a state directory of its own, an unused bootstrap address) that the test may complete; {@link #start} builds the
 * driver from the topology made with them. Topics are piped by {@link TopicDescriptor}, with the descriptor's serdes.
 * {@link #close()} closes the driver, drops the registry scope and deletes the state directory.
 */
public final class TopologyFixture implements AutoCloseable {

    private final String registryScope;
    private final Path stateDir;
    private final Properties properties = new Properties();
    private final ValueSerdes valueSerdes;
    private final JanelaTopics topics;
    private TopologyTestDriver driver;

    private TopologyFixture(String applicationId, String registryScope) {
        this.registryScope = registryScope;
        this.stateDir = createStateDir(applicationId);
        this.valueSerdes = ValueSerdes.janela(serdeConfig());
        this.topics = JanelaTopics.create(TopicNames.defaults(), valueSerdes);
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    }

    /** A fixture for this application id, with a registry scope of its own ({@code <applicationId>-<uuid>}). */
    public static TopologyFixture create(String applicationId) {
        return new TopologyFixture(applicationId, applicationId + "-" + UUID.randomUUID());
    }

    /** The registry scope: serdes made with {@link #serdeConfig()} register and look up schemas there. */
    public String registryScope() {
        return registryScope;
    }

    /** Serde configuration pointing at this fixture's {@code mock://} registry scope. */
    public Map<String, String> serdeConfig() {
        return Map.of("schema.registry.url", "mock://" + registryScope);
    }

    public ValueSerdes valueSerdes() {
        return valueSerdes;
    }

    /** Janela's topics under their default names, with serdes bound to this fixture's registry scope. */
    public JanelaTopics topics() {
        return topics;
    }

    /** The Streams properties the driver will use; complete them before {@link #start}. */
    public Properties properties() {
        return properties;
    }

    /** Builds the driver over {@code topology} with {@link #properties()}, its wall clock at {@code wallClock}. */
    public TopologyTestDriver start(Topology topology, Instant wallClock) {
        if (driver != null) {
            throw new IllegalStateException("already started");
        }
        driver = new TopologyTestDriver(topology, properties, wallClock);
        return driver;
    }

    public TopologyTestDriver driver() {
        if (driver == null) {
            throw new IllegalStateException("not started");
        }
        return driver;
    }

    /** An input topic with the descriptor's serializers; each record's time is given by the test. */
    public <K, V> TestInputTopic<K, V> input(TopicDescriptor<K, V> topic) {
        return driver().createInputTopic(
                        topic.name(),
                        topic.keySerde().serializer(),
                        topic.valueSerde().serializer());
    }

    /** An input topic whose records without a time start at {@code start} and advance by {@code autoAdvance}. */
    public <K, V> TestInputTopic<K, V> input(TopicDescriptor<K, V> topic, Instant start, Duration autoAdvance) {
        return driver().createInputTopic(
                        topic.name(),
                        topic.keySerde().serializer(),
                        topic.valueSerde().serializer(),
                        start,
                        autoAdvance);
    }

    /** The topic fed with raw bytes, for records the descriptor's serdes would refuse to write. */
    public TestInputTopic<byte[], byte[]> rawInput(TopicDescriptor<?, ?> topic) {
        return driver().createInputTopic(topic.name(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** An output topic with the descriptor's deserializers. */
    public <K, V> TestOutputTopic<K, V> output(TopicDescriptor<K, V> topic) {
        return driver().createOutputTopic(
                        topic.name(),
                        topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer());
    }

    /** The topic read as raw bytes. */
    public TestOutputTopic<byte[], byte[]> rawOutput(TopicDescriptor<?, ?> topic) {
        return driver().createOutputTopic(topic.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Moves the wall clock, firing the punctuations that became due. */
    public void advance(Duration duration) {
        driver().advanceWallClockTime(duration);
    }

    @Override
    public void close() {
        try {
            if (driver != null) {
                driver.close();
            }
        } finally {
            MockSchemaRegistry.dropScope(registryScope);
            delete(stateDir);
        }
    }

    // Under the module's target/ when the test runs from a module directory (as Maven runs it): TopologyTestDriver
    // warns about a state directory in the system's temporary folder.
    private static Path createStateDir(String applicationId) {
        try {
            Path target = Path.of("target");
            return Files.isDirectory(target)
                    ? Files.createTempDirectory(target, applicationId + "-ttd-")
                    : Files.createTempDirectory(applicationId + "-ttd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
