package io.janela.metrics.config;

import io.janela.contract.ValueSerdes;
import io.janela.metrics.streams.MeasurementTopics;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The value serdes for this service's own records (measurements, store values), configured exactly as the shared
 * {@code JanelaTopics} serdes are: from {@code spring.kafka.properties.*}, of the class
 * {@code janela.serde.value-serde-class} names (Janela's own by default).
 */
@Configuration(proxyBeanMethods = false)
class SerdeConfiguration {

    @Bean
    ValueSerdes metricsValueSerdes(Environment environment) {
        Map<String, String> kafkaProperties = Binder.get(environment)
                .bind("spring.kafka.properties", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        return ValueSerdes.ofClass(environment.getProperty("janela.serde.value-serde-class"), kafkaProperties);
    }

    @Bean
    MeasurementTopics measurementTopics(MetricsProperties properties, ValueSerdes metricsValueSerdes) {
        return MeasurementTopics.create(properties.topics(), metricsValueSerdes);
    }
}
