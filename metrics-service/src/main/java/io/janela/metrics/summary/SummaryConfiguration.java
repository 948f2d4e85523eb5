package io.janela.metrics.summary;

import io.janela.metrics.config.MetricsProperties;
import java.time.Clock;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/** The store query behind {@code GET /metrics/summary}, and the other instances holding parts of it. */
@Configuration(proxyBeanMethods = false)
class SummaryConfiguration {

    @Bean
    SummaryQuery summaryQuery(StreamsBuilderFactoryBean streams, MetricsProperties properties) {
        return new SummaryQuery(
                streams::getKafkaStreams,
                new SummarySettings(
                        properties.summary().bucket(), properties.summary().retention()));
    }

    @Bean
    SummaryPeers summaryPeers(StreamsBuilderFactoryBean streams, Environment environment) {
        return new SummaryPeers(
                streams::getKafkaStreams,
                environment.getProperty("spring.kafka.streams.properties." + StreamsConfig.APPLICATION_SERVER_CONFIG));
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
