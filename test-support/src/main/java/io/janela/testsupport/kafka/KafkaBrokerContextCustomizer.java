package io.janela.testsupport.kafka;

import java.util.Map;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/** Starts a broker for one application context and points Spring Kafka at it. */
final class KafkaBrokerContextCustomizer implements ContextCustomizer {

    /** Also set, for tests that need the address in their own configuration (for example a second instance). */
    static final String BOOTSTRAP_PROPERTY = "janela.test.kafka.bootstrap-servers";

    private static final String BEAN_NAME = "janelaTestKafkaBroker";

    private final boolean restartable;
    private final Map<String, String> brokerProperties;

    KafkaBrokerContextCustomizer(boolean restartable, Map<String, String> brokerProperties) {
        this.restartable = restartable;
        this.brokerProperties = Map.copyOf(brokerProperties);
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        KafkaBroker broker = restartable || !brokerProperties.isEmpty()
                ? RestartableKafkaBroker.start(brokerProperties)
                : KafkaBrokers.start();
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        BEAN_NAME,
                        Map.of(
                                "spring.kafka.bootstrap-servers",
                                broker.bootstrapServers(),
                                BOOTSTRAP_PROPERTY,
                                broker.bootstrapServers())));
        DefaultListableBeanFactory beans = (DefaultListableBeanFactory) context.getBeanFactory();
        beans.registerSingleton(BEAN_NAME, broker);
        // Registered before any other bean exists, so destroyed after all of them (Spring destroys in reverse order of
        // registration): producers and Kafka Streams close while the broker still answers.
        beans.registerDisposableBean(BEAN_NAME, broker::close);
    }

    // Spring's context cache compares customizers: equal when they make the same kind of broker.
    @Override
    public boolean equals(Object other) {
        return other instanceof KafkaBrokerContextCustomizer customizer
                && customizer.restartable == restartable
                && customizer.brokerProperties.equals(brokerProperties);
    }

    @Override
    public int hashCode() {
        return 31 * Boolean.hashCode(restartable) + brokerProperties.hashCode();
    }
}
