package io.janela.dispatch.config;

import io.janela.avro.Template;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.catalog.TemplateSync;
import io.janela.dispatch.graph.GraphApiClient;
import io.janela.dispatch.send.Sender;
import io.janela.dispatch.topics.DispatchTopics;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/** The sender and the template sync, started after the Streams application and stopped before it. */
@Configuration(proxyBeanMethods = false)
class SenderConfiguration {

    @Bean
    @ConditionalOnBooleanProperty(name = "janela.dispatch.sender.enabled", matchIfMissing = true)
    Sender sender(
            KafkaProperties kafka,
            Environment environment,
            DispatchProperties properties,
            DispatchTopics topics,
            BusinessNumbers numbers,
            GraphApiClient graph,
            MeterRegistry registry,
            Clock clock) {
        DispatchProperties.Sender settings = properties.sender();
        DispatchProperties.Sender resolved =
                settings.withInstanceId(settings.instanceId().isBlank() ? hostName() : settings.instanceId());
        String application = environment.getProperty("spring.kafka.streams.application-id", "dispatch-service");
        return new Sender(
                kafka.buildConsumerProperties(),
                kafka.buildProducerProperties(),
                application + "-sender",
                topics,
                resolved,
                numbers,
                graph,
                registry,
                clock);
    }

    @Bean
    TemplateSync templateSync(
            KafkaProperties kafka,
            DispatchProperties properties,
            DispatchTopics topics,
            BusinessNumbers numbers,
            GraphApiClient graph,
            StreamsBuilderFactoryBean streams,
            MeterRegistry registry,
            Clock clock) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "dispatch-template-sync");
        KafkaProducer<String, Template> producer = new KafkaProducer<>(
                config,
                new StringSerializer(),
                topics.templateSync().valueSerde().serializer());
        return new TemplateSync(
                numbers, graph, producer, topics, properties.templateSync(), streams::getKafkaStreams, clock, registry);
    }

    /** Starts the sender once the Streams application runs; stops it first on shutdown. */
    @Bean
    @ConditionalOnBooleanProperty(name = "janela.dispatch.sender.enabled", matchIfMissing = true)
    SmartLifecycle senderLifecycle(Sender sender) {
        return lifecycle(sender::start, sender::close);
    }

    @Bean
    SmartLifecycle templateSyncLifecycle(TemplateSync sync) {
        return lifecycle(sync::start, sync::close);
    }

    /** {@code sender}: UP while the send loop runs, or when this instance runs without a sender. */
    @Bean
    HealthIndicator senderHealthIndicator(ObjectProvider<Sender> sender) {
        return () -> {
            Sender running = sender.getIfAvailable();
            if (running == null) {
                return Health.up().withDetail("sender", "disabled").build();
            }
            return running.isRunning() ? Health.up().build() : Health.down().build();
        };
    }

    /** Runs after the StreamsBuilderFactoryBean (phase Integer.MAX_VALUE - 1000), so it stops before it. */
    private static SmartLifecycle lifecycle(Runnable start, Runnable stop) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                start.run();
                running = true;
            }

            @Override
            public void stop() {
                stop.run();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return Integer.MAX_VALUE - 500;
            }
        };
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "dispatch-" + UUID.randomUUID();
        }
    }
}
