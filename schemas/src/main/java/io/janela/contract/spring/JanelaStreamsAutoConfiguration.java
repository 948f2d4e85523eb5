package io.janela.contract.spring;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;

/**
 * The runtime policies every Janela Kafka Streams app shares:
 *
 * <ul>
 *   <li>a stream thread that dies is replaced ({@code REPLACE_THREAD}): it resumes from the last committed offsets,
 *       which is how a record deferred by {@code DeadLetterDeserializationExceptionHandler} (registry unreachable) is
 *       read again, and an unexpected failure does not take the whole app down;
 *   <li>with {@code janela.streams.instance-id} set (the StatefulSet pod name): static membership
 *       ({@code group.instance.id}), so that an instance killed and replaced within the session timeout takes its own
 *       tasks back at once instead of waiting out its predecessor's session; the instance then stays in the group
 *       when it closes, as static members do;
 *   <li>without it, an instance leaves its group when it closes, so that a restarted or rolled instance gets its tasks
 *       back in seconds instead of waiting for the session timeout;
 *   <li>transactional state stores (KIP-892, Kafka Streams 4.4): under exactly-once a store applies its writes only
 *       when the changelog transaction commits, so a crash leaves no aborted write in RocksDB and Streams need not
 *       wipe the task's state and restore it from the changelog;
 *   <li>every internal topic and store is named by the topology ({@code ensure.explicit.internal.resource.naming},
 *       KIP-1111): an app whose topology leaves a changelog, repartition topic or store to a generated name refuses
 *       to start, since those names shift when the topology changes and orphan the state kept under them;
 *   <li>its state is followed ({@link StreamsStateTracker}) for readiness and liveness
 *       ({@link JanelaStreamsHealthAutoConfiguration});
 *   <li>its metrics reach Micrometer ({@code kafka_stream_*}) through {@link StreamsMeters} instead of Spring Boot's
 *       listener: never a state store's (whose gauges read native RocksDB memory that a closing store frees first),
 *       and unbound as Streams begins to close rather than after, so that a graceful stop under Prometheus scrapes
 *       cannot crash the JVM (issue 14). Boot's listener is replaced, so this runs after Boot's Kafka metrics;
 *   <li>every restore of a state store is logged and counted, by store and by whether it started from the store's
 *       committed offset or from the changelog's beginning ({@link StreamsRestores}, {@link RestoreMeters}): a restore
 *       from scratch after a crash is what transactional state stores are there to prevent.
 * </ul>
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.metrics.KafkaMetricsAutoConfiguration")
@ConditionalOnClass({KafkaStreams.class, StreamsBuilderFactoryBeanConfigurer.class})
@EnableConfigurationProperties(JanelaStreamsProperties.class)
public class JanelaStreamsAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(JanelaStreamsAutoConfiguration.class);

    @Bean
    StreamsStateTracker janelaStreamsStateTracker() {
        return new StreamsStateTracker();
    }

    @Bean
    StreamsBuilderFactoryBeanConfigurer janelaStreamsRuntimePolicies(
            JanelaStreamsProperties properties,
            StreamsStateTracker tracker,
            ObjectProvider<StreamsMeters> meters,
            ObjectProvider<StreamsRestores.Counts> restoreCounts) {
        return new LastConfigurer(factoryBean -> {
            Properties streams = factoryBean.getStreamsConfiguration();
            streams.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
            streams.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
            if (properties.staticMembership()) {
                // Kafka Streams gives each stream thread's consumer this id suffixed with the thread's index.
                streams.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, properties.instanceId());
            }
            factoryBean.setStreamsConfiguration(streams);
            factoryBean.setLeaveGroupOnClose(!properties.staticMembership());
            StreamsMeters streamsMeters = meters.getIfAvailable();
            KafkaStreams.StateListener health =
                    streamsMeters == null ? tracker : streamsMeters.bind(factoryBean, tracker);
            // Kafka Streams takes a single restore listener per client: this one (nothing else sets one).
            StreamsRestores restores =
                    new StreamsRestores(restoreCounts.getIfAvailable(() -> StreamsRestores.Counts.NONE));
            factoryBean.setStateRestoreListener(restores);
            factoryBean.setStateListener(
                    restores.registeringStoresOf(() -> factoryBean.getTopology().describe(), health));
            factoryBean.setStreamsUncaughtExceptionHandler(exception -> {
                log.error("A stream thread failed; replacing it to resume from the last commit", exception);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
        });
    }

    /**
     * A configurer applied after every other, by its order rather than by registration order: StreamsMeters must find
     * and replace the Micrometer listener Spring Boot's configurer adds (its order is the default, 0), and the state
     * listener set here must not be replaced by another configurer.
     */
    record LastConfigurer(Consumer<StreamsBuilderFactoryBean> configuration)
            implements StreamsBuilderFactoryBeanConfigurer {

        @Override
        public void configure(StreamsBuilderFactoryBean factoryBean) {
            configuration.accept(factoryBean);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterRegistry.class, KafkaStreamsMicrometerListener.class})
    static class MetersConfiguration {

        @Bean
        StreamsMeters janelaStreamsMeters(ObjectProvider<MeterRegistry> registry) {
            return new StreamsMeters(registry);
        }

        @Bean
        StreamsRestores.Counts janelaStreamsRestoreMeters(ObjectProvider<MeterRegistry> registry) {
            MeterRegistry meters = registry.getIfAvailable();
            return meters == null ? StreamsRestores.Counts.NONE : new RestoreMeters(meters);
        }
    }
}
