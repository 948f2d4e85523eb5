package io.janela.metrics.recorder;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.metrics.config.MetricsProperties;
import io.janela.metrics.streams.MeasurementTopics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.ConsumerFactory;

/** The recorder: a read-committed consumer of the measurement topics, its meters, and the acknowledging scrape. */
@Configuration(proxyBeanMethods = false)
class RecorderConfiguration {

    @Bean
    RecordingProgress recordingProgress() {
        return new RecordingProgress(Clock.systemUTC().millis());
    }

    /** Replaces Boot's scrape endpoint (conditional on a missing bean) with one that acknowledges what it shows. */
    @Bean
    ScrapeAcknowledgingPrometheusEndpoint prometheusEndpoint(
            PrometheusRegistry prometheusRegistry, PrometheusConfig prometheusConfig, RecordingProgress progress) {
        Properties exporterProperties = prometheusConfig.prometheusProperties();
        return new ScrapeAcknowledgingPrometheusEndpoint(
                prometheusRegistry,
                exporterProperties == null ? new Properties() : exporterProperties,
                progress,
                Clock.systemUTC());
    }

    @Bean(destroyMethod = "close")
    Producer<byte[], byte[]> recorderDeadLetterProducer(KafkaProperties kafka) {
        Map<String, Object> config = new LinkedHashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Bean
    MeasurementRecorder measurementRecorder(
            ConsumerFactory<?, ?> consumerFactory,
            MeasurementTopics topics,
            JanelaTopics janelaTopics,
            MetricsProperties properties,
            MeterRegistry registry,
            RecordingProgress progress,
            Producer<byte[], byte[]> recorderDeadLetterProducer,
            Environment environment) {
        String service = environment.getProperty("spring.application.name", "metrics-service");
        Map<String, Deserializer<? extends SpecificRecord>> deserializers = new LinkedHashMap<>();
        for (TopicDescriptor<String, ?> topic : topics.all()) {
            deserializers.put(topic.name(), deserializer(topic));
        }
        // survey-service's events: written exactly once by its transactions, so recorded as they are (CSAT meters).
        deserializers.put(janelaTopics.surveyEvents().name(), deserializer(janelaTopics.surveyEvents()));
        // Ingress's calls webhook items: counted by direction and status (Meta's redeliveries once, MeasurementMeters).
        deserializers.put(janelaTopics.callEvents().name(), deserializer(janelaTopics.callEvents()));
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        overrides.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        overrides.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Cooperative rebalancing: only partitions that move are revoked. With the classic default (eager, Range
        // first) every member would give up all its partitions on each join or leave, and each would wait for a
        // scrape (handover-scrape-wait) before the group could go on.
        overrides.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        MetricsProperties.Recorder recorder = properties.recorder();
        return new MeasurementRecorder(
                () -> castConsumer(
                        consumerFactory.createConsumer(recorder.groupId(), "measurement-recorder", null, overrides)),
                deserializers,
                new MeasurementMeters(
                        registry,
                        properties.businessHours().build(),
                        properties.sla().build()),
                progress,
                new RecorderDeadLetters(
                        recorderDeadLetterProducer,
                        janelaTopics.metricsDeadLetter().name(),
                        service,
                        registry,
                        Clock.systemUTC()),
                new MeasurementRecorder.Settings(
                        recorder.pollTimeout(),
                        recorder.commitUnscrapedAfter(),
                        recorder.retryBackoff(),
                        recorder.handoverScrapeWait()),
                Clock.systemUTC());
    }

    @SuppressWarnings("unchecked")
    private static Deserializer<? extends SpecificRecord> deserializer(TopicDescriptor<String, ?> topic) {
        return (Deserializer<? extends SpecificRecord>) topic.valueSerde().deserializer();
    }

    @SuppressWarnings("unchecked")
    private static org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> castConsumer(
            org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
        return (org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>) consumer;
    }
}
