package io.janela.dispatch.config;

import io.janela.contract.JanelaTopics;
import io.janela.contract.ValueSerdes;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.decision.DecisionMetrics;
import io.janela.dispatch.decision.DecisionTopology;
import io.janela.dispatch.graph.GraphApiClient;
import io.janela.dispatch.graph.GraphWebClients;
import io.janela.dispatch.pricing.CostEstimator;
import io.janela.dispatch.pricing.RateCard;
import io.janela.dispatch.rules.Decider;
import io.janela.dispatch.topics.DispatchTopics;
import io.janela.serde.AvroClassTrust;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/** The service's building blocks: business numbers, topics and serdes, the rules, the Graph API client. */
@Configuration(proxyBeanMethods = false)
class DispatchConfiguration {

    @Bean
    Clock dispatchClock() {
        return Clock.systemUTC();
    }

    @Bean
    BusinessNumbers businessNumbers(DispatchProperties properties) {
        if (properties.businessNumbers().isEmpty()) {
            throw new IllegalStateException("janela.dispatch.business-numbers is empty: configure at least one business"
                    + " phone number (phone-number-id, waba-id, and access-token from the environment or"
                    + " access-token-file)");
        }
        return new BusinessNumbers(properties.businessNumbers());
    }

    /** The same serdes as the shared topics', for dispatch's own topics and stores. */
    @Bean
    DispatchTopics dispatchTopics(JanelaTopics shared, DispatchProperties properties, Environment environment) {
        AvroClassTrust.trustGeneratedClasses();
        Map<String, String> kafkaProperties = Binder.get(environment)
                .bind("spring.kafka.properties", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        ValueSerdes values =
                ValueSerdes.ofClass(environment.getProperty("janela.serde.value-serde-class"), kafkaProperties);
        return DispatchTopics.create(shared, properties.topics(), values);
    }

    @Bean
    Decider decider(DispatchProperties properties) {
        RateCard rateCard;
        try (InputStream in = properties.rateCard().getInputStream()) {
            rateCard = RateCard.read(in, properties.rateCard().getDescription());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the rate card " + properties.rateCard(), e);
        }
        return new Decider(properties.decision().windowSafetyMargin(), new CostEstimator(rateCard));
    }

    @Bean
    DecisionTopology.Settings decisionSettings(
            DispatchTopics topics,
            DispatchProperties properties,
            BusinessNumbers numbers,
            Decider decider,
            MeterRegistry registry) {
        return new DecisionTopology.Settings(
                topics, properties.decision(), numbers, decider, new DecisionMetrics(registry));
    }

    @Bean
    GraphApiClient graphApiClient(
            DispatchProperties properties, JsonMapper json, ObjectProvider<ObservationRegistry> observations) {
        return new GraphApiClient(
                GraphWebClients.create(
                        properties.graphApi(), observations.getIfAvailable(() -> ObservationRegistry.NOOP)),
                properties.graphApi().version(),
                json);
    }
}
