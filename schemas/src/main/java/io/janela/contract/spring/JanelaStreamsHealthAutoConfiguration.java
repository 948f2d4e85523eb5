package io.janela.contract.spring;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Kafka Streams in every Streams service's health, written once:
 *
 * <ul>
 *   <li>{@code kafkaStreams}, for the readiness group: UP only when Streams is RUNNING (or REBALANCING after having
 *       been RUNNING), so that a starting instance gets no traffic while it still restores and rebalances — before,
 *       readiness said UP 8–47 s before the service could answer a query;
 *   <li>{@code kafkaStreamsLiveness}, for the liveness group: DOWN only when Streams is dead for good (ERROR: every
 *       thread failed beyond replacement), where restarting the process is the cure. A broker that is away is not a
 *       reason to restart, so every other state is UP.
 * </ul>
 *
 * Each service lists them in its {@code management.endpoint.health.group.readiness/liveness.include}.
 */
@AutoConfiguration(after = JanelaStreamsAutoConfiguration.class)
@ConditionalOnClass({KafkaStreams.class, StreamsBuilderFactoryBean.class, HealthIndicator.class})
@ConditionalOnBean(StreamsStateTracker.class)
public class JanelaStreamsHealthAutoConfiguration {

    @Bean("kafkaStreams")
    HealthIndicator kafkaStreamsReadiness(StreamsStateTracker tracker) {
        return () -> (tracker.ready() ? Health.up() : Health.down())
                .withDetail("state", tracker.state().name())
                .build();
    }

    @Bean("kafkaStreamsLiveness")
    HealthIndicator kafkaStreamsLiveness(StreamsStateTracker tracker) {
        return () -> (tracker.dead() ? Health.down() : Health.up())
                .withDetail("state", tracker.state().name())
                .build();
    }
}
