package io.janela.testsupport.kafka;

import io.janela.localkafka.LocalKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One Kafka node (combined KRaft broker and controller) inside the test JVM, built on Kafka's own
 * {@code kafka.server.KafkaRaftServer} through Janela's {@link LocalKafkaBroker}. It listens on free ports of the
 * loopback interface; its data lives in a temporary folder deleted on close.
 *
 * <p>Not spring-kafka-test's {@code EmbeddedKafkaKraftBroker}: that one wraps Kafka's test kit
 * ({@code kafka-test-common-runtime} and the {@code test} classifier jars), which Maven Central does not serve for
 * Kafka 4.4.0, and it calls {@code Exit.Procedure}, which 4.4 removed.
 */
final class EmbeddedKraftBroker implements KafkaBroker {

    private final LocalKafkaBroker node;
    private final Path dataDirectory;

    private EmbeddedKraftBroker(LocalKafkaBroker node, Path dataDirectory) {
        this.node = node;
        this.dataDirectory = dataDirectory;
    }

    static EmbeddedKraftBroker start() {
        Path data = temporaryDirectory();
        return new EmbeddedKraftBroker(LocalKafkaBroker.start(data, 0, 0, Map.of()), data);
    }

    static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("janela-test-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's folder", e);
        }
    }

    static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    @Override
    public String bootstrapServers() {
        return node.bootstrapServers();
    }

    @Override
    public BrokerKind kind() {
        return BrokerKind.EMBEDDED;
    }

    @Override
    public void close() {
        node.close();
        delete(dataDirectory);
    }
}
