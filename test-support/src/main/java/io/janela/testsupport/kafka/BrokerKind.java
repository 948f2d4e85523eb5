package io.janela.testsupport.kafka;

import java.util.Locale;

/** The kinds of real broker the integration tests can run against. */
public enum BrokerKind {
    /** A KRaft node (Kafka's {@code KafkaRaftServer}) inside the test JVM: no Docker needed. The default. */
    EMBEDDED,
    /** Testcontainers' Kafka module ({@code apache/kafka} image): needs a Docker engine and its registry. */
    TESTCONTAINERS;

    /** The switch: a system property, else an environment variable, else {@link #EMBEDDED}. */
    public static final String PROPERTY = "janela.test.kafka";

    public static final String ENVIRONMENT_VARIABLE = "JANELA_TEST_KAFKA";

    static BrokerKind selected() {
        String value = System.getProperty(PROPERTY, System.getenv(ENVIRONMENT_VARIABLE));
        if (value == null || value.isBlank()) {
            return EMBEDDED;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    PROPERTY + "=" + value + " is not a broker kind; use embedded or testcontainers", e);
        }
    }
}
