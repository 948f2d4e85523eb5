package io.janela.testsupport.kafka;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/** Testcontainers' Kafka module: the official {@code apache/kafka} image in KRaft mode. */
final class ContainerBroker implements KafkaBroker {

    /** Overrides the image, for a mirror or another Kafka version. */
    static final String IMAGE_PROPERTY = "janela.test.kafka.image";

    static final String DEFAULT_IMAGE = "apache/kafka:4.4.0";

    private final KafkaContainer container;

    private ContainerBroker(KafkaContainer container) {
        this.container = container;
    }

    static ContainerBroker start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException(BrokerKind.PROPERTY
                    + "=testcontainers needs a Docker engine, and none answers here; use the embedded broker instead");
        }
        KafkaContainer container = new KafkaContainer(System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
        return new ContainerBroker(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public BrokerKind kind() {
        return BrokerKind.TESTCONTAINERS;
    }

    @Override
    public void close() {
        container.stop();
    }
}
