package io.janela.testsupport.kafka;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

/** Registered in {@code META-INF/spring.factories}: acts on test classes annotated {@link UsesKafkaBroker}. */
final class KafkaBrokerContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        MergedAnnotation<UsesKafkaBroker> annotation = MergedAnnotations.from(
                        testClass, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                .get(UsesKafkaBroker.class);
        if (!annotation.isPresent()) {
            return null;
        }
        Map<String, String> brokerProperties = new TreeMap<>();
        for (String property : annotation.getStringArray("brokerProperties")) {
            int equals = property.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("a broker property is name=value, not " + property);
            }
            brokerProperties.put(
                    property.substring(0, equals).strip(),
                    property.substring(equals + 1).strip());
        }
        return new KafkaBrokerContextCustomizer(annotation.getBoolean("restartable"), brokerProperties);
    }
}
