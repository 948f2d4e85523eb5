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
        String instanceId = settings.instanceId().isBlank() ? hostName() : settings.instanceId();
        DispatchProperties.Sender resolved = new DispatchProperties.Sender(
                instanceId,
                settings.maxInFlight(),
                settings.maxQueued(),
                settings.lookahead(),
                settings.commitInterval(),
                settings.throughputShare(),
                settings.pairInterval(),
                settings.pairBurst(),
                settings.pairBurstWindow(),
                settings.maxAttempts(),
                settings.initialBackoff(),
                settings.maxBackoff(),
                settings.downtimeBackoff(),
                settings.pairLimitMaxWaits(),
                settings.inDoubtTimeout(),
                settings.inDoubtResolution(),
                settings.statusLookback(),
                settings.shutdownTimeout());
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

    /** Starts the sender and the sync once the Streams application runs; stops them first on shutdown. */
    @Bean
    SmartLifecycle senderLifecycle(Sender sender, TemplateSync sync) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                sender.start();
                sync.start();
                running = true;
            }

            @Override
            public void stop() {
                sync.close();
                sender.close();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                // After the StreamsBuilderFactoryBean (Integer.MAX_VALUE - 1000), so stopped before it.
                return Integer.MAX_VALUE - 500;
            }
        };
    }

    /** {@code sender}: UP while the send loop runs. */
    @Bean
    HealthIndicator senderHealthIndicator(Sender sender) {
        return () -> sender.isRunning() ? Health.up().build() : Health.down().build();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "dispatch-" + UUID.randomUUID();
        }
    }
}
