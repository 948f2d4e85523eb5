package io.janela.testsupport.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the broker kind that the switch selects, so that the same tests run on the embedded broker here and on a
 * container where Docker exists: {@code ./mvnw verify -Djanela.test.kafka=testcontainers}.
 */
public final class KafkaBrokers {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokers.class);

    private KafkaBrokers() {}

    /** Starts a new single-node broker of the selected kind; the caller closes it. */
    public static KafkaBroker start() {
        BrokerKind kind = BrokerKind.selected();
        long started = System.nanoTime();
        KafkaBroker broker = switch (kind) {
            case EMBEDDED -> EmbeddedKraftBroker.start();
            case TESTCONTAINERS -> ContainerBroker.start();
        };
        log.info(
                "Kafka broker ({}) ready at {} in {} ms",
                kind,
                broker.bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000);
        return broker;
    }
}
