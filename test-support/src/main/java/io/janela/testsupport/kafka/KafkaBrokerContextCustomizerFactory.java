package io.janela.testsupport.kafka;

import java.util.List;
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
        return annotation.isPresent() ? new KafkaBrokerContextCustomizer(annotation.getBoolean("restartable")) : null;
    }
}
