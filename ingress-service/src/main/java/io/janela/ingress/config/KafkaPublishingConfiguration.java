package io.janela.ingress.config;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.ingress.publish.KafkaRecordPublisher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The Kafka side: Spring Boot's producer factory with the settings of {@link ProducerSettings} laid over {@code
 * spring.kafka.producer.*}, the publisher on top of its shared producer, and the topics this service writes.
 */
@Configuration(proxyBeanMethods = false)
class KafkaPublishingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaPublishingConfiguration.class);

    @Bean
    DefaultKafkaProducerFactoryCustomizer webhookProducerSettings(IngressProperties ingress) {
        return factory -> factory.updateConfigs(ProducerSettings.enforced(
                factory.getConfigurationProperties(), ingress.publishTimeout(), ingress.maxBodyBytes()));
    }

    /** The producer's {@code max.block.ms} as enforced: part of how long a request may wait. */
    @Bean
    PublishLimits publishLimits(KafkaProperties kafka, IngressProperties ingress) {
        Map<String, Object> enforced = ProducerSettings.enforced(
                kafka.buildProducerProperties(), ingress.publishTimeout(), ingress.maxBodyBytes());
        return new PublishLimits(ingress.publishTimeout(), ProducerSettings.maxBlock(enforced));
    }

    @Bean
    @SuppressWarnings("unchecked")
    KafkaRecordPublisher kafkaRecordPublisher(ProducerFactory<?, ?> producerFactory) {
        // Keys and values are bytes: webhookProducerSettings sets ByteArraySerializer for both.
        return new KafkaRecordPublisher(
                ((ProducerFactory<byte[], byte[]>) producerFactory).createProducer(),
                task -> Schedulers.boundedElastic().schedule(task));
    }

    @Bean
    KafkaAdmin.NewTopics webhookTopics(JanelaTopics topics, IngressProperties ingress) {
        IngressProperties.Topics settings = ingress.topics();
        if (!settings.create()) {
            return new KafkaAdmin.NewTopics();
        }
        List<TopicDescriptor<?, ?>> published = List.of(
                topics.inboundMessages(), topics.messageStatuses(), topics.templateEvents(), topics.userPreferences());
        NewTopic[] newTopics = new NewTopic[published.size() + 1];
        for (int i = 0; i < published.size(); i++) {
            newTopics[i] = topic(published.get(i).name(), settings)
                    .config(
                            TopicConfig.RETENTION_MS_CONFIG,
                            Long.toString(settings.retention().toMillis()))
                    .build();
        }
        newTopics[published.size()] = topic(topics.webhooksDeadLetter().name(), settings)
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
     * for it. Off the caller's thread; a broker that is not there yet is only logged.
     */
    @EventListener(ApplicationReadyEvent.class)
    void warmUpProducer(ApplicationReadyEvent event) {
        ProducerFactory<?, ?> factory = event.getApplicationContext().getBean(ProducerFactory.class);
        JanelaTopics topics = event.getApplicationContext().getBean(JanelaTopics.class);
        Mono.fromRunnable(() -> {
                    Producer<?, ?> producer = factory.createProducer();
                    for (TopicDescriptor<?, ?> topic : List.of(
                            topics.inboundMessages(),
                            topics.messageStatuses(),
                            topics.templateEvents(),
                            topics.userPreferences(),
                            topics.webhooksDeadLetter())) {
                        producer.partitionsFor(topic.name());
                    }
                })
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe(
                        ignored -> {},
                        e -> log.warn(
                                "Kafka metadata not available at start ({}); requests will fetch it", e.toString()),
                        () -> log.info("Kafka metadata of the webhook topics fetched"));
    }

    private static TopicBuilder topic(String name, IngressProperties.Topics settings) {
        TopicBuilder builder = TopicBuilder.name(name).partitions(settings.partitions());
        if (settings.replicationFactor() > 0) {
            builder.replicas(settings.replicationFactor());
        }
        return builder;
    }

    /**
     * How long a request may wait for Kafka: up to {@code maxBlock} for the producer to take its records, then up to
     * {@code publishTimeout} for the acknowledgements.
     */
    record PublishLimits(Duration publishTimeout, Duration maxBlock) {

        /** The handler's last-resort timeout: well beyond what the producer promises, for a dead-letter pass too. */
        Duration backstop() {
            return publishTimeout.plus(maxBlock).multipliedBy(2).plusSeconds(5);
        }
    }
}
