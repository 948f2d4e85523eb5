package io.janela.streams;

import io.micrometer.core.instrument.Metrics;

/**
 * Counts what the dead-letter handlers do, in Micrometer's global registry (Spring Boot adds its registry there, and
 * Kafka Streams instantiates handlers itself, so they cannot be given one):
 *
 * <ul>
 *   <li>{@code janela.deadletter.records} (Prometheus {@code janela_deadletter_records_total}), tags
 *       {@code source_topic} and {@code stage} ({@code deserialization} or {@code processing}): records sent to the
 *       dead-letter topic;
 *   <li>{@code janela.deserialization.deferred}, tag {@code source_topic}: records left for a retry because the schema
 *       registry was unreachable.
 * </ul>
 */
final class DeadLetterMetrics {

    static final String DEAD_LETTERED = "janela.deadletter.records";
    static final String DEFERRED = "janela.deserialization.deferred";

    private DeadLetterMetrics() {}

    static void deadLettered(String sourceTopic, String stage) {
        Metrics.counter(DEAD_LETTERED, "source_topic", String.valueOf(sourceTopic), "stage", stage)
                .increment();
    }

    static void deferred(String sourceTopic) {
        Metrics.counter(DEFERRED, "source_topic", String.valueOf(sourceTopic)).increment();
    }
}
