package io.janela.metrics.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.metrics.sla.SlaTargets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

/** SLA targets as written in application.yml: bound, and checked at start with a message naming what is wrong. */
class SlaPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(BusinessHoursPropertiesTest.PropertiesOnly.class);

    @Test
    void bindsTargetsPerNumberAndTeamWithTheirClock() {
        context.withPropertyValues(
                        "janela.metrics.sla.at-risk-share=0.75",
                        "janela.metrics.sla.teams=sales",
                        "janela.metrics.sla.targets[0].phone-number-id=100000000000001",
                        "janela.metrics.sla.targets[0].first-response=5m",
                        "janela.metrics.sla.targets[0].next-response=15m",
                        "janela.metrics.sla.targets[1].phone-number-id=100000000000001",
                        "janela.metrics.sla.targets[1].team=support",
                        "janela.metrics.sla.targets[1].next-response=1h",
                        "janela.metrics.sla.targets[1].clock=business")
                .run(started -> {
                    MetricsProperties.Sla sla =
                            started.getBean(MetricsProperties.class).sla();
                    assertThat(sla.atRiskShare()).isEqualTo(0.75);
                    SlaTargets targets = sla.build();
                    assertThat(targets.targetFor("100000000000001", "support"))
                            .isEqualTo(new SlaTargets.Target(
                                    "100000000000001",
                                    "support",
                                    null,
                                    Duration.ofHours(1),
                                    SlaTargets.Clock.BUSINESS));
                    assertThat(targets.targetFor("100000000000001", "sales").clock())
                            .isEqualTo(SlaTargets.Clock.CALENDAR);
                    assertThat(targets.teamLabel("sales")).isEqualTo("sales");
                    assertThat(targets.teamLabel("marketing")).isEqualTo("other");
                });
    }

    @Test
    void withoutTargetsNothingIsMeasuredAgainstOne() {
        context.run(started -> {
            MetricsProperties.Sla sla = started.getBean(MetricsProperties.class).sla();
            assertThat(sla.atRiskShare()).isEqualTo(0.8);
            assertThat(sla.build().labelSets()).isEmpty();
        });
    }

    @Test
    void refusesToStartOnAWrongTargetNamingTheTargetAndTheValue() {
        context.withPropertyValues(
                        "janela.metrics.sla.targets[0].phone-number-id=100000000000001",
                        "janela.metrics.sla.targets[0].next-response=15m",
                        "janela.metrics.sla.targets[0].clock=office")
                .run(
                        started -> assertThat(started)
                                .getFailure()
                                .hasStackTraceContaining(
                                        "targets[0] (phone number 100000000000001): clock 'office' is neither calendar nor business"));
        context.withPropertyValues("janela.metrics.sla.targets[0].phone-number-id=100000000000001")
                .run(started -> assertThat(started)
                        .getFailure()
                        .hasStackTraceContaining("neither first-response nor next-response is set"));
        context.withPropertyValues("janela.metrics.sla.at-risk-share=1.5")
                .run(started -> assertThat(started)
                        .getFailure()
                        .hasStackTraceContaining("at-risk-share must be above 0 and below 1"));
    }
}
