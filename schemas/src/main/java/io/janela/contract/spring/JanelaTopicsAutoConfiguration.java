package io.janela.contract.spring;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Gives every Spring Boot service the same topic names and value serdes:
 *
 * <ul>
 *   <li>{@link TopicNames} from {@code janela.topics.*} (each name defaults to DESIGN.md's);
 *   <li>{@link ValueSerdes} and {@link JanelaTopics}, whose value serdes are configured from {@code spring.kafka.properties.*} (where
 *       {@code schema.registry.url} and the other serde keys live, so that Kafka clients built by Spring see the same
 *       settings), and are of the class {@code janela.serde.value-serde-class} names (Janela's own by default).
 * </ul>
 */
@AutoConfiguration
public class JanelaTopicsAutoConfiguration {

    static final String TOPICS_PREFIX = "janela.topics";
    static final String KAFKA_PROPERTIES = "spring.kafka.properties";
    static final String VALUE_SERDE_CLASS = "janela.serde.value-serde-class";

    @Bean
    @ConditionalOnMissingBean
    TopicNames janelaTopicNames(Environment environment) {
        return Binder.get(environment).bindOrCreate(TOPICS_PREFIX, TopicNames.class);
    }

    /**
     * The value serdes of the contract's topics, and of whatever else a service keeps in Avro (its state stores'
     * values, its own topics): {@code values.forType(StoredX.class)}, configured like every topic.
     */
    @Bean
    @ConditionalOnMissingBean
    ValueSerdes janelaValueSerdes(Environment environment) {
        Map<String, String> kafkaProperties = Binder.get(environment)
                .bind(KAFKA_PROPERTIES, Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        return ValueSerdes.ofClass(environment.getProperty(VALUE_SERDE_CLASS), kafkaProperties);
    }

    @Bean
    @ConditionalOnMissingBean
    JanelaTopics janelaTopics(TopicNames names, ValueSerdes values) {
        return JanelaTopics.create(names, values);
    }
}
