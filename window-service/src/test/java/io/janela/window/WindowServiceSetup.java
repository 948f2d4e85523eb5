package io.janela.window;

import static org.awaitility.Awaitility.await;

import io.janela.contract.TopicDescriptor;
import io.janela.testsupport.kafka.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * What the window-service's Spring integration tests share: the properties of one instance of the service (its HTTP
 * port, state directory, registry scope, window length and partitions), the wait for Streams to run, and reading and
 * writing the contract's topics on the test's broker.
 */
public final class WindowServiceSetup {

    private WindowServiceSetup() {}

    /** The properties of one instance: they win over application.yml (test properties or command-line arguments). */
    public static Map<String, String> instance(
            int port, String stateDirPrefix, String registryScope, Duration window, int partitions) {
        Map<String, String> properties = new HashMap<>();
        properties.put("server.port", Integer.toString(port));
        properties.put("janela.window.query.advertised-port", Integer.toString(port));
        properties.put(
                "spring.kafka.streams.state-dir", tempDirectory(stateDirPrefix).toString());
        properties.put("spring.kafka.properties.schema.registry.url", "mock://" + registryScope);
        properties.put("janela.window.window-length", window.toMillis() + "ms");
        properties.put("janela.window.topics.partitions", Integer.toString(partitions));
        return properties;
    }

    /** Waits until the service's Streams application is RUNNING. */
    public static void awaitRunning(StreamsBuilderFactoryBean factory, Duration atMost) {
        await().atMost(atMost)
                .until(() -> factory.getKafkaStreams() != null
                        && factory.getKafkaStreams().state() == KafkaStreams.State.RUNNING);
    }

    /** A reader of the topic (committed records only), from its beginning. */
    public static <V> TopicReader<String, V> reader(String bootstrapServers, TopicDescriptor<String, V> topic) {
        return TopicReader.open(
                bootstrapServers,
                topic.name(),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    /** Writes one record with the topic's serdes, at {@code at}. */
    public static <V> void send(
            String bootstrapServers, TopicDescriptor<String, V> topic, String key, V value, Instant at) {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(), key, value));
            producer.flush();
        }
    }

    /** Reads on until a record with this key matches, and returns its value. */
    public static <V> V awaitValue(TopicReader<String, V> reader, String key, Predicate<V> match, Duration atMost) {
        return await().atMost(atMost)
                .pollInterval(Duration.ofMillis(10))
                .until(
                        () -> {
                            try {
                                reader.awaitRecords(reader.received().size() + 1, Duration.ofMillis(500));
                            } catch (AssertionError nothingNewYet) {
                                // keep waiting
                            }
                            List<ConsumerRecord<String, V>> received = reader.received();
                            return received.stream()
                                    .filter(record -> key.equals(record.key()) && match.test(record.value()))
                                    .map(ConsumerRecord::value)
                                    .findFirst()
                                    .orElse(null);
                        },
                        Objects::nonNull);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDirectory(String prefix) {
        try {
            Path directory = Files.createTempDirectory(prefix);
            directory.toFile().deleteOnExit();
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
