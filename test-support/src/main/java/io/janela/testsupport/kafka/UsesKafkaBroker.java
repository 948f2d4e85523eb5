package io.janela.testsupport.kafka;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Gives a Spring Boot test's application context its own real broker: it starts with the context, sets
 * {@code spring.kafka.bootstrap-servers} (and {@code janela.test.kafka.bootstrap-servers}) before any
 * bean is created, and stops when the context closes.
 *
 * <p>The context is closed after the test class ({@link DirtiesContext}): a broker left to the JVM's exit races
 * Kafka's own temporary-folder cleanup and logs errors, and no later class should see this class's topics.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@DirtiesContext
public @interface UsesKafkaBroker {

    /**
     * A broker the test can stop and restart on the same port ({@link RestartableKafkaBroker}, injectable as a bean),
     * to show what the service does while Kafka is unreachable.
     */
    boolean restartable() default false;

    /**
     * Broker properties ({@code name=value}) that replace the defaults, e.g. {@code log.retention.check.interval.ms=200}
     * to see retention act within a test. Given any, the broker is an in-JVM Kafka node as with {@link #restartable()},
     * whatever the {@code janela.test.kafka} switch says.
     */
    String[] brokerProperties() default {};
}
