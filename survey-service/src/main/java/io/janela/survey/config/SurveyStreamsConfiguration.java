package io.janela.survey.config;

import io.janela.contract.JanelaTopics;
import io.janela.contract.ValueSerdes;
import io.janela.streams.DeadLetterDeserializationExceptionHandler;
import io.janela.streams.DeadLetterProcessingExceptionHandler;
import io.janela.survey.asking.SurveyMetrics;
import io.janela.survey.asking.SurveyTopology;
import io.janela.survey.asking.avro.StoredSurveys;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

/**
 * Runs the survey topology in Spring Kafka's {@code StreamsBuilderFactoryBean}. What the service's guarantees depend
 * on is set here, where configuration cannot undo it: exactly-once v2 and the dead-letter handlers and topic.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class SurveyStreamsConfiguration {

    @Bean
    StreamsBuilderFactoryBeanConfigurer surveyStreams(
            SurveyProperties properties, JanelaTopics topics, Serde<StoredSurveys> stored, SurveyMetrics metrics) {
        return factoryBean -> {
            Properties streams = factoryBean.getStreamsConfiguration();
            streams.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            streams.put(
                    StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                    DeadLetterDeserializationExceptionHandler.class.getName());
            streams.put(
                    StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                    DeadLetterProcessingExceptionHandler.class.getName());
            streams.put(
                    StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
                    topics.surveyDeadLetter().name());
            factoryBean.setStreamsConfiguration(streams);
            factoryBean.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
                @Override
                public void configureBuilder(StreamsBuilder builder) {
                    SurveyTopology.define(builder, topics, stored, properties.settings(), metrics);
                }
            });
        };
    }

    /** The state store's values: Avro in Confluent's wire format, like every topic. */
    @Bean
    Serde<StoredSurveys> storedSurveysSerde(Environment environment) {
        Map<String, String> kafkaProperties = Binder.get(environment)
                .bind("spring.kafka.properties", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        return ValueSerdes.ofClass(environment.getProperty("janela.serde.value-serde-class"), kafkaProperties)
                .forType(StoredSurveys.class);
    }

    @Bean
    SurveyMetrics surveyMetrics(MeterRegistry registry) {
        return new SurveyMetrics(registry);
    }
}
