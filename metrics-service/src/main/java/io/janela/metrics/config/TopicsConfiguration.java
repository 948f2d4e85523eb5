package io.janela.metrics.config;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.metrics.streams.MeasurementTopics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics this service reads and writes, created at start-up when they do not exist (Kafka Streams does not
 * create source topics). Existing topics are left as they are. The contact-keyed inputs get the same partition count:
 * the topology needs them co-partitioned, and refuses to start otherwise (StreamsConfiguration's check).
 */
@Configuration(proxyBeanMethods = false)
class TopicsConfiguration {

    @Bean
    KafkaAdmin.NewTopics metricsTopics(
            JanelaTopics topics, MeasurementTopics measurements, MetricsProperties properties) {
        List<NewTopic> all = new ArrayList<>();
        for (TopicDescriptor<?, ?> input : List.of(
                topics.inboundMessages(),
                topics.windowEvents(),
                topics.dispatchResults(),
                topics.messageStatuses(),
                topics.contactAliases(),
                topics.messageEchoes(),
                topics.callEvents(),
                topics.surveyEvents(),
                topics.conversationResolutions(),
                topics.slaEvents(),
                topics.metricsDeadLetter())) {
            all.add(topic(input, properties).build());
        }
        for (TopicDescriptor<String, ?> measurement : measurements.all()) {
            all.add(topic(measurement, properties)
                    .config(
                            TopicConfig.RETENTION_MS_CONFIG,
                            Long.toString(properties.measurementRetention().toMillis()))
                    .build());
        }
        return new KafkaAdmin.NewTopics(all.toArray(NewTopic[]::new));
    }

    private static TopicBuilder topic(TopicDescriptor<?, ?> descriptor, MetricsProperties properties) {
        TopicBuilder builder = TopicBuilder.name(descriptor.name()).partitions(properties.topicPartitions());
        if (properties.topicReplicationFactor() > 0) {
            builder.replicas(properties.topicReplicationFactor());
        }
        return builder.configs(descriptor.requiredConfigs());
    }
}
