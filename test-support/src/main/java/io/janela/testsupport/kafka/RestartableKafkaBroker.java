package io.janela.testsupport.kafka;

import io.janela.localkafka.LocalKafkaBroker;
import java.nio.file.Path;
import java.util.Map;

/**
 * A broker a test can stop and start again on the same port with its data: to show that a service answers
 * correctly while Kafka is unreachable and recovers when it is back. Always an in-JVM Kafka node (Janela's
 * {@link LocalKafkaBroker}), whatever the {@code janela.test.kafka} switch says: a container gets a new port when it
 * restarts.
 */
public final class RestartableKafkaBroker implements KafkaBroker {

    private final LocalKafkaBroker node;
    private final Path dataDirectory;

    private RestartableKafkaBroker(LocalKafkaBroker node, Path dataDirectory) {
        this.node = node;
        this.dataDirectory = dataDirectory;
    }

    public static RestartableKafkaBroker start() {
        return start(Map.of());
    }

    /**
     * A node with broker properties of the test's choosing, e.g. {@code log.retention.check.interval.ms} to see
     * retention act within a test.
     */
    public static RestartableKafkaBroker start(Map<String, String> brokerProperties) {
        Path data = EmbeddedKraftBroker.temporaryDirectory();
        return new RestartableKafkaBroker(LocalKafkaBroker.start(data, 0, 0, brokerProperties), data);
    }

    /** Stops the broker cleanly; clients see it unreachable until {@link #restart()}. */
    public void stop() {
        node.stop();
    }

    /** Starts it again, same port, same data. */
    public void restart() {
        node.start();
    }

    public boolean isRunning() {
        return node.isRunning();
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
        EmbeddedKraftBroker.delete(dataDirectory);
    }
}
