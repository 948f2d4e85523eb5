package io.janela.survey.config;

import io.janela.contract.JanelaTopics;
import io.janela.contract.ValueSerdes;
import io.janela.streams.StreamsGuarantees;
import io.janela.survey.asking.SurveyMetrics;
import io.janela.survey.asking.SurveyTopology;
import io.janela.survey.asking.avro.StoredSurveys;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
            Properties streams = StreamsGuarantees.exactlyOnceWithDeadLetters(
                    factoryBean.getStreamsConfiguration(),
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

    /** The state store's values: Avro in Confluent's wire format, with the same serdes as every topic. */
    @Bean
    Serde<StoredSurveys> storedSurveysSerde(ValueSerdes values) {
        return values.forType(StoredSurveys.class);
    }

    @Bean
    SurveyMetrics surveyMetrics(MeterRegistry registry) {
        return new SurveyMetrics(registry);
    }
}
