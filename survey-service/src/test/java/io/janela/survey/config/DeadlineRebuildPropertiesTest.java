package io.janela.survey.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** {@code janela.survey.deadline-rebuild.*} is bound into the survey settings (defaults and checks: schemas). */
class DeadlineRebuildPropertiesTest {

    @Test
    void surveySlicesRunAtTheConfiguredInterval() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(PropertiesOnly.class)
                .withPropertyValues("janela.survey.deadline-rebuild.slice-interval=20ms")
                .run(started -> assertThat(started.getBean(SurveyProperties.class)
                                .settings()
                                .indexRebuild()
                                .every())
                        .isEqualTo(Duration.ofMillis(20)));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SurveyProperties.class)
    static class PropertiesOnly {}
}
