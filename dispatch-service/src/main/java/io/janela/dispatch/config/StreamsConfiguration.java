package io.janela.dispatch.config;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.dispatch.DispatchTopology;
import io.janela.dispatch.decision.DecisionTopology;
import io.janela.dispatch.topics.DispatchTopics;
import java.util.Properties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The Kafka Streams application (decision, correlation, catalog; exactly-once v2, settings in
 * {@code spring.kafka.streams.*}) and the topics the service reads and writes.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class StreamsConfiguration {

    /** Adds dispatch's topology and names its dead-letter topic (from the topic configuration, not a literal). */
    @Bean
    StreamsBuilderFactoryBeanConfigurer dispatchStreams(
            DecisionTopology.Settings settings, DispatchProperties properties, JanelaTopics topics) {
        return factoryBean -> {
            Properties config = factoryBean.getStreamsConfiguration();
            config.put(
                    StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
                    topics.outboundRequestsDeadLetter().name());
            factoryBean.setStreamsConfiguration(config);
            factoryBean.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
                @Override
                public void configureBuilder(StreamsBuilder builder) {
                    DispatchTopology.addTo(builder, settings, properties.partitions());
                }
            });
        };
    }

    /**
     * Topics dispatch owns are created with {@code janela.dispatch.partitions}; topics other services own are only
     * created when missing, with the broker's default partitions, and never changed (in production the deployment
     * creates every topic). Kafka Streams does not create its source topics.
     */
    @Bean
    KafkaAdmin.NewTopics dispatchTopicDeclarations(DispatchTopics topics, DispatchProperties properties) {
        JanelaTopics shared = topics.shared();
        int partitions = properties.partitions();
        short replicas = properties.replicationFactor();
        return new KafkaAdmin.NewTopics(
                owned(shared.outboundRequests(), partitions, replicas),
                owned(shared.outboundRequestsDeadLetter(), partitions, replicas),
                owned(shared.dispatchResults(), partitions, replicas),
                owned(shared.templates(), partitions, replicas),
                owned(topics.sendCommands(), partitions, replicas),
                owned(topics.sendJournal(), partitions, replicas),
                owned(topics.templateSync(), 1, replicas),
                foreign(shared.windowState()),
                foreign(shared.contactAliases()),
                foreign(shared.userPreferences()),
                foreign(shared.templateEvents()),
                foreign(shared.messageStatuses()),
                foreign(shared.accountEvents()));
    }

    private static NewTopic owned(TopicDescriptor<?, ?> topic, int partitions, short replicas) {
        TopicBuilder builder = TopicBuilder.name(topic.name()).partitions(partitions);
        if (replicas > 0) {
            builder.replicas(replicas);
        }
        return builder.configs(topic.requiredConfigs()).build();
    }

    private static NewTopic foreign(TopicDescriptor<?, ?> topic) {
        return TopicBuilder.name(topic.name()).configs(topic.requiredConfigs()).build();
    }
}
