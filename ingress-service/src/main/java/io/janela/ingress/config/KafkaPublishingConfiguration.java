package io.janela.ingress.config;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.ingress.publish.KafkaRecordPublisher;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;
import reactor.core.scheduler.Schedulers;

/**
 * The Kafka side: Spring Boot's producer factory with the settings of {@link ProducerSettings} laid over {@code
 * spring.kafka.producer.*}, the publisher on top of its shared producer, and the topics this service writes.
 */
@Configuration(proxyBeanMethods = false)
class KafkaPublishingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaPublishingConfiguration.class);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(1);
    private static final Duration WARM_UP_WAIT = Duration.ofSeconds(30);

    @Bean
    DefaultKafkaProducerFactoryCustomizer webhookProducerSettings(IngressProperties ingress) {
        return factory -> factory.updateConfigs(ProducerSettings.enforced(
                factory.getConfigurationProperties(), ingress.publishTimeout(), ingress.maxBodyBytes()));
    }

    @Bean
    PublishLimits publishLimits(IngressProperties ingress) {
        return new PublishLimits(ingress.publishTimeout(), min(METADATA_WAIT, ingress.publishTimeout()));
    }

    @Bean
    @SuppressWarnings("unchecked")
    KafkaRecordPublisher kafkaRecordPublisher(ProducerFactory<?, ?> producerFactory, PublishLimits limits) {
        // Keys and values are bytes: webhookProducerSettings sets ByteArraySerializer for both. Completions run on
        // Reactor's parallel scheduler: what follows them (metrics, the response, a dead letter) never blocks.
        return new KafkaRecordPublisher(
                ((ProducerFactory<byte[], byte[]>) producerFactory).createProducer(),
                task -> Schedulers.parallel().schedule(task),
                limits.metadataWait());
    }

    @Bean
    KafkaAdmin.NewTopics webhookTopics(JanelaTopics topics, IngressProperties ingress) {
        IngressProperties.Topics settings = ingress.topics();
        if (!settings.create()) {
            return new KafkaAdmin.NewTopics();
        }
        List<TopicDescriptor<?, ?>> published = List.of(
                topics.inboundMessages(),
                topics.messageStatuses(),
                topics.templateEvents(),
                topics.userPreferences(),
                topics.callEvents(),
                topics.messageEchoes());
        NewTopic[] newTopics = new NewTopic[published.size() + 2];
        for (int i = 0; i < published.size(); i++) {
            newTopics[i] = topic(published.get(i).name(), settings)
                    .config(
                            TopicConfig.RETENTION_MS_CONFIG,
                            Long.toString(settings.retention().toMillis()))
                    .build();
        }
        // A table of the account's current facts (AccountEventKey): compacted, never deleted by time.
        newTopics[published.size()] =
                topic(topics.accountEvents().name(), settings).compact().build();
        newTopics[published.size() + 1] = topic(topics.webhooksDeadLetter().name(), settings)
                // A dead letter is a whole body, up to janela.ingress.max-body-size.
                .config(
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        Integer.toString(ingress.maxBodyBytes() + ProducerSettings.RECORD_OVERHEAD_BYTES))
                .config(
                        TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(settings.deadLetterRetention().toMillis()))
                .build();
        return new KafkaAdmin.NewTopics(newTopics);
    }

    /**
     * Fetches the metadata of every topic once the application is ready, so that the first webhooks do not wait
     * for it. A broker that is not there yet is only logged: requests fetch metadata themselves.
     */
    @EventListener(ApplicationReadyEvent.class)
    void warmUpProducer(ApplicationReadyEvent event) {
        KafkaRecordPublisher publisher = event.getApplicationContext().getBean(KafkaRecordPublisher.class);
        JanelaTopics topics = event.getApplicationContext().getBean(JanelaTopics.class);
        publisher
                .awaitMetadata(
                        List.of(
                                topics.inboundMessages().name(),
                                topics.messageStatuses().name(),
                                topics.templateEvents().name(),
                                topics.userPreferences().name(),
                                topics.callEvents().name(),
                                topics.messageEchoes().name(),
                                topics.accountEvents().name(),
                                topics.webhooksDeadLetter().name()),
                        WARM_UP_WAIT)
                .whenComplete((ignored, failure) -> {
                    if (failure == null) {
                        log.info("Kafka metadata of the webhook topics fetched");
                    } else {
                        log.warn(
                                "Kafka metadata not available at start ({}); requests will fetch it",
                                failure.toString());
                    }
                });
    }

    private static TopicBuilder topic(String name, IngressProperties.Topics settings) {
        TopicBuilder builder = TopicBuilder.name(name).partitions(settings.partitions());
        if (settings.replicationFactor() > 0) {
            builder.replicas(settings.replicationFactor());
        }
        return builder;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * How long a request may wait for Kafka: up to {@code metadataWait} for the metadata of a topic the producer does
     * not know yet (rare: just started, or the topic idle), then up to {@code publishTimeout} for the
     * acknowledgements.
     */
    record PublishLimits(Duration publishTimeout, Duration metadataWait) {

        /** The handler's last-resort timeout: well beyond what the producer promises, for a dead-letter pass too. */
        Duration backstop() {
            return publishTimeout.plus(metadataWait).multipliedBy(2).plusSeconds(5);
        }
    }
}
