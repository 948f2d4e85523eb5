package io.janela.testsupport.kafka;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * spring-kafka-test's in-JVM KRaft broker (one combined broker and controller). It listens on a random port of the
 * loopback interface; its data lives in a temporary folder deleted on close.
 */
final class EmbeddedKraftBroker implements KafkaBroker {

    private final EmbeddedKafkaKraftBroker broker;

    private EmbeddedKraftBroker(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    static EmbeddedKraftBroker start() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        // Single node: internal topics cannot be replicated, and Streams apps should not wait for a rebalance delay.
        broker.brokerProperties(Map.of(
                "offsets.topic.replication.factor", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "group.initial.rebalance.delay.ms", "0",
                "auto.create.topics.enable", "false"));
        broker.afterPropertiesSet();
        return new EmbeddedKraftBroker(broker);
    }

    @Override
    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    @Override
    public BrokerKind kind() {
        return BrokerKind.EMBEDDED;
    }

    @Override
    public void close() {
        broker.destroy();
    }
}
