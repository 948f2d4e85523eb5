package io.janela.window.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** {@code janela.window.deadline-rebuild.*} is bound into the tracking settings (defaults and checks: schemas). */
class DeadlineRebuildPropertiesTest {

    @Test
    void aContactsSliceReadsAtMostTheConfiguredStates() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(PropertiesOnly.class)
                .withPropertyValues("janela.window.query.advertised-port=8081")
                .withPropertyValues("janela.window.deadline-rebuild.states-per-slice=5000")
                .run(started -> assertThat(started.getBean(WindowProperties.class)
                                .tracking()
                                .indexRebuild()
                                .statesPerSlice())
                        .isEqualTo(5000));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(WindowProperties.class)
    static class PropertiesOnly {}
}
