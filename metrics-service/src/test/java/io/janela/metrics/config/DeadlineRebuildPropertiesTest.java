package io.janela.metrics.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

/** {@code janela.metrics.deadline-rebuild.*} is bound into the measurement settings (defaults and checks: schemas). */
class DeadlineRebuildPropertiesTest {

    @Test
    void aStatesSliceTakesAtMostTheConfiguredTime() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(BusinessHoursPropertiesTest.PropertiesOnly.class)
                .withPropertyValues("janela.metrics.deadline-rebuild.time-per-slice=10ms")
                .run(started -> assertThat(started.getBean(MetricsProperties.class)
                                .measurementSettings()
                                .indexRebuild()
                                .timePerSlice())
                        .isEqualTo(Duration.ofMillis(10)));
    }
}
