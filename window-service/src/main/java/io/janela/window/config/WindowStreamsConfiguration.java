package io.janela.window.config;

import io.janela.contract.JanelaTopics;
import io.janela.contract.ValueSerdes;
import io.janela.streams.StreamsGuarantees;
import io.janela.window.tracking.WindowMetrics;
import io.janela.window.tracking.WindowTopology;
import io.janela.window.tracking.avro.StoredContact;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

/**
 * Runs the window topology in Spring Kafka's {@code StreamsBuilderFactoryBean}. Boot supplies the Streams settings
 * of {@code spring.kafka.streams.*}; what the service's guarantees depend on is set here, where configuration cannot
 * undo it: exactly-once v2, the dead-letter handlers and their topic, and {@code application.server} for queries
 * across instances.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class WindowStreamsConfiguration {

    @Bean
    StreamsBuilderFactoryBeanConfigurer windowStreams(
            WindowProperties properties,
            JanelaTopics topics,
            Serde<StoredContact> storedContacts,
            WindowMetrics metrics) {
        return factoryBean -> {
            Properties streams = StreamsGuarantees.exactlyOnceWithDeadLetters(
                    factoryBean.getStreamsConfiguration(),
                    topics.windowDeadLetter().name());
            streams.put(StreamsConfig.APPLICATION_SERVER_CONFIG, properties.applicationServer());
            factoryBean.setStreamsConfiguration(streams);
            factoryBean.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
                @Override
                public void configureBuilder(StreamsBuilder builder) {
                    WindowTopology.define(builder, topics, storedContacts, properties.tracking(), metrics);
                }
            });
        };
    }

    /**
     * The state store's values: Avro in Confluent's wire format, registered under the changelog topic's subject,
     * with the same serdes as every topic (the shared {@code ValueSerdes} bean: {@code spring.kafka.properties.*},
     * {@code janela.serde.value-serde-class}).
     */
    @Bean
    Serde<StoredContact> storedContactSerde(ValueSerdes values) {
        return values.forType(StoredContact.class);
    }

    @Bean
    WindowMetrics windowMetrics(MeterRegistry registry) {
        return new WindowMetrics(registry);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
