package io.janela.survey.config;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics the survey-service reads and writes, created at start when missing (Kafka Streams does not create its
 * source topics). Every service must declare the same partition count for a shared topic, or production topics are
 * created by the platform (Strimzi) and {@code spring.kafka.admin.auto-create=false}.
 */
@Configuration(proxyBeanMethods = false)
class SurveyTopicsConfiguration {

    @Bean
    KafkaAdmin.NewTopics surveyTopics(JanelaTopics topics, SurveyProperties properties) {
        SurveyProperties.Topics settings = properties.topics();
        List<TopicDescriptor<?, ?>> declared = List.of(
                topics.conversationResolutions(),
                topics.inboundMessages(),
                topics.dispatchResults(),
                topics.messageStatuses(),
                topics.windowEvents(),
                topics.contactAliases(),
                topics.outboundRequests(),
                topics.surveyEvents(),
                topics.surveyDeadLetter());
        return new KafkaAdmin.NewTopics(declared.stream()
                .map(topic -> new NewTopic(
                                topic.name(),
                                Optional.of(settings.partitions()),
                                Optional.ofNullable(settings.replicationFactor()))
                        .configs(topic.requiredConfigs()))
                .toArray(NewTopic[]::new));
    }
}
