package io.janela.window.config;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.contract.spring.InputPartitionsCheck;
import io.janela.window.tracking.WindowTopology;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics the window-service reads and writes, created at start when missing (Kafka Streams does not create its
 * source topics). Spring's KafkaAdmin adds partitions to an existing topic that has fewer than declared, which
 * moves keys between partitions: every service must declare the same count for a shared topic, or production
 * topics are created by the platform (Strimzi) and {@code spring.kafka.admin.auto-create=false}.
 */
@Configuration(proxyBeanMethods = false)
class WindowTopicsConfiguration {

    @Bean
    KafkaAdmin.NewTopics windowTopics(JanelaTopics topics, WindowProperties properties) {
        WindowProperties.Topics settings = properties.topics();
        List<TopicDescriptor<?, ?>> declared = List.of(
                topics.inboundMessages(),
                topics.messageStatuses(),
                topics.dispatchResults(),
                topics.callEvents(),
                topics.messageEchoes(),
                topics.accountEvents(),
                topics.windowEvents(),
                topics.windowState(),
                topics.contactAliases(),
                topics.windowDeadLetter());
        List<NewTopic> created = new java.util.ArrayList<>(
                declared.stream().map(topic -> newTopic(topic, settings)).toList());
        // The window-service's own: a contact's state moving to its new user id (WindowTopology.HANDOVERS).
        created.add(new NewTopic(
                WindowTopology.HANDOVERS,
                Optional.of(settings.partitions()),
                Optional.ofNullable(settings.replicationFactor())));
        return new KafkaAdmin.NewTopics(created.toArray(NewTopic[]::new));
    }

    @Bean
    InputPartitionsCheck inputPartitionsCheck(KafkaAdmin admin, JanelaTopics topics) {
        return InputPartitionsCheck.sameCount(
                admin,
                "window-service",
                List.of(
                        topics.inboundMessages().name(),
                        topics.messageStatuses().name(),
                        topics.dispatchResults().name(),
                        topics.callEvents().name(),
                        topics.messageEchoes().name(),
                        WindowTopology.HANDOVERS));
    }

    private static NewTopic newTopic(TopicDescriptor<?, ?> topic, WindowProperties.Topics settings) {
        NewTopic newTopic = new NewTopic(
                topic.name(), Optional.of(settings.partitions()), Optional.ofNullable(settings.replicationFactor()));
        if (topic.compacted()) {
            newTopic.configs(java.util.Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        return newTopic;
    }
}
