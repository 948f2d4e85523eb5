package io.janela.metrics.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** Schedules as written in application.yml: bound, and checked at start with a message naming what is wrong. */
class BusinessHoursPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(PropertiesOnly.class);

    @Test
    void bindsSchedulesWithSeveralPeriodsOvernightOnesHolidaysAndVersions() {
        context.withPropertyValues(
                        "janela.metrics.business-hours.schedules[0].phone-number-id=100000000000001",
                        "janela.metrics.business-hours.schedules[0].zone=America/Sao_Paulo",
                        "janela.metrics.business-hours.schedules[0].hours.monday=09:00-12:00,13:00-18:00",
                        "janela.metrics.business-hours.schedules[0].hours.friday=22:00-02:00",
                        "janela.metrics.business-hours.schedules[0].holidays=2026-12-25",
                        "janela.metrics.business-hours.schedules[1].phone-number-id=100000000000001",
                        "janela.metrics.business-hours.schedules[1].effective-from=2027-01-01",
                        "janela.metrics.business-hours.schedules[1].zone=America/Sao_Paulo",
                        "janela.metrics.business-hours.schedules[1].hours.MONDAY=08:00-20:00")
                .run(started -> {
                    var schedules = started.getBean(MetricsProperties.class)
                            .businessHours()
                            .build();
                    // Monday 2 November 2026, 11:00 to 14:00 in São Paulo (UTC-3): 1 h + 1 h.
                    assertThat(schedules.businessTime(
                                    "100000000000001",
                                    Instant.parse("2026-11-02T14:00:00Z"),
                                    Instant.parse("2026-11-02T17:00:00Z")))
                            .isEqualTo(Duration.ofHours(2));
                    // Friday 6th 23:00 to Saturday 01:00, overnight.
                    assertThat(schedules.businessTime(
                                    "100000000000001",
                                    Instant.parse("2026-11-07T02:00:00Z"),
                                    Instant.parse("2026-11-07T04:00:00Z")))
                            .isEqualTo(Duration.ofHours(2));
                    // Monday 4 January 2027: the second version, 08:00-20:00.
                    assertThat(schedules.businessTime(
                                    "100000000000001",
                                    Instant.parse("2027-01-04T10:00:00Z"),
                                    Instant.parse("2027-01-04T23:00:00Z")))
                            .isEqualTo(Duration.ofHours(12));
                });
    }

    @Test
    void withoutSchedulesEveryNumberIsOpenAllTheTime() {
        context.run(started -> assertThat(started.getBean(MetricsProperties.class)
                        .businessHours()
                        .build()
                        .businessTime(
                                "any", Instant.parse("2026-11-02T14:00:00Z"), Instant.parse("2026-11-02T17:00:00Z")))
                .isEqualTo(Duration.ofHours(3)));
    }

    @Test
    void refusesToStartOnAWrongScheduleNamingTheScheduleAndTheValue() {
        context.withPropertyValues(
                        "janela.metrics.business-hours.schedules[0].phone-number-id=100000000000001",
                        "janela.metrics.business-hours.schedules[0].zone=America/Sao_Paul",
                        "janela.metrics.business-hours.schedules[0].hours.monday=09:00-18:00")
                .run(
                        started -> assertThat(started)
                                .getFailure()
                                .hasStackTraceContaining("janela.metrics.business-hours")
                                .hasStackTraceContaining(
                                        "schedules[0] (phone number 100000000000001): zone 'America/Sao_Paul' is not a time zone id"));
        context.withPropertyValues(
                        "janela.metrics.business-hours.schedules[0].phone-number-id=100000000000001",
                        "janela.metrics.business-hours.schedules[0].zone=UTC",
                        "janela.metrics.business-hours.schedules[0].hours.monday=09:00-18:00,17:00-19:00")
                .run(started -> assertThat(started)
                        .getFailure()
                        .hasStackTraceContaining("MONDAY 09:00-18:00 and MONDAY 17:00-19:00 overlap"));
        context.withPropertyValues(
                        "janela.metrics.business-hours.schedules[0].zone=UTC",
                        "janela.metrics.business-hours.schedules[0].hours.monday=09:00-18:00")
                .run(started -> assertThat(started)
                        .getFailure()
                        .hasStackTraceContaining("schedules[0]: phone-number-id is missing"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(MetricsProperties.class)
    static class PropertiesOnly {}
}
