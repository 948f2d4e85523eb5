package io.janela.metrics.config;

import io.janela.contract.JanelaTopics;
import io.janela.contract.ValueSerdes;
import io.janela.contract.spring.InputPartitionsCheck;
import io.janela.metrics.sla.SlaSettings;
import io.janela.metrics.streams.MeasurementTopics;
import io.janela.metrics.streams.StreamsMeters;
import io.janela.metrics.topology.MetricsTopology;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Wires {@link MetricsTopology} into Spring's Kafka Streams: the topology is built by its own pure method, here it
 * only gets its parts. Exactly-once, the dead-letter handlers and the application id come from
 * {@code spring.kafka.streams.*} (application.yml); the dead-letter topic's name comes from {@code JanelaTopics}.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class StreamsConfiguration {

    @Bean
    StreamsMeters streamsMeters(MeterRegistry registry) {
        return new StreamsMeters(registry);
    }

    @Bean
    MetricsTopology.Parts metricsTopologyParts(
            JanelaTopics topics,
            MeasurementTopics measurements,
            ValueSerdes metricsValueSerdes,
            MetricsProperties properties,
            StreamsMeters meters) {
        return new MetricsTopology.Parts(
                topics,
                measurements,
                metricsValueSerdes,
                properties.measurementSettings(),
                properties.summarySettings(),
                meters,
                new SlaSettings(
                        properties.sla().build(),
                        properties.businessHours().build(),
                        properties.sla().atRiskShare()),
                properties.topicPartitions());
    }

    /**
     * The contact-keyed inputs feed one step keyed by contact, and every repartition topic is created with
     * {@code janela.metrics.topic-partitions} partitions: Kafka Streams must not start on inputs of other counts.
     */
    @Bean
    InputPartitionsCheck inputPartitionsCheck(KafkaAdmin admin, JanelaTopics topics, MetricsProperties properties) {
        return InputPartitionsCheck.count(
                admin,
                "metrics-service",
                MetricsTopology.contactKeyedInputs(topics),
                properties.topicPartitions(),
                "janela.metrics.topic-partitions");
    }

    /**
     * Adds the topology to the builder Spring manages, through the hook Spring Kafka offers for it, and names the
     * dead-letter topic of the exception handlers.
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer metricsTopology(JanelaTopics topics, MetricsTopology.Parts parts) {
        return factoryBean -> {
            factoryBean.setDeadLetterTopicName(topics.metricsDeadLetter().name());
            factoryBean.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
                @Override
                public void configureBuilder(StreamsBuilder builder) {
                    MetricsTopology.addTo(builder, parts);
                }
            });
        };
    }
}
