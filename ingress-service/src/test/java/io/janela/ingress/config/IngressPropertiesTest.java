package io.janela.ingress.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.unit.DataSize;

class IngressPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(PropertiesOnly.class);

    @Test
    void defaultsToFourMebibytesFiveSecondsAndCreatingTopics() {
        context.withPropertyValues("janela.ingress.app-secrets=s1", "janela.ingress.verify-token=t")
                .run(started -> {
                    IngressProperties properties = started.getBean(IngressProperties.class);
                    assertThat(properties.maxBodySize()).isEqualTo(DataSize.ofMegabytes(4));
                    assertThat(properties.maxBodyBytes()).isEqualTo(4 * 1024 * 1024);
                    assertThat(properties.publishTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(properties.inlineBodyLimit()).isEqualTo(DataSize.ofKilobytes(32));
                    assertThat(properties.maxFutureTimestamp()).isEqualTo(Duration.ofMinutes(55));
                    assertThat(properties.topics().create()).isTrue();
                    assertThat(properties.topics().partitions()).isEqualTo(6);
                    assertThat(properties.topics().replicationFactor()).isEqualTo(-1);
                    assertThat(properties.topics().retention()).isEqualTo(Duration.ofDays(14));
                    assertThat(properties.topics().deadLetterRetention()).isEqualTo(Duration.ofDays(30));
                });
    }

    @Test
    void readsSeveralAppSecretsFromOneCommaSeparatedValue() {
        context.withPropertyValues("janela.ingress.app-secrets=new-secret, old-secret", "janela.ingress.verify-token=t")
                .run(started -> assertThat(
                                started.getBean(IngressProperties.class).appSecrets())
                        .containsExactly("new-secret", "old-secret"));
    }

    @Test
    void refusesToStartWithoutAnAppSecretOrVerifyToken() {
        context.withPropertyValues("janela.ingress.verify-token=t")
                .run(started -> assertThat(started).getFailure().hasStackTraceContaining("appSecrets"));
        context.withPropertyValues("janela.ingress.app-secrets=s")
                .run(started -> assertThat(started).getFailure().hasStackTraceContaining("verifyToken"));
    }

    @Test
    void refusesLimitsOutsideSensibleRanges() {
        context.withPropertyValues(
                        "janela.ingress.app-secrets=s",
                        "janela.ingress.verify-token=t",
                        "janela.ingress.publish-timeout=100ms")
                .run(started -> assertThat(started).getFailure().hasStackTraceContaining("publish-timeout"));
        context.withPropertyValues(
                        "janela.ingress.app-secrets=s",
                        "janela.ingress.verify-token=t",
                        "janela.ingress.max-body-size=1GB")
                .run(started -> assertThat(started).getFailure().hasStackTraceContaining("max-body-size"));
    }

    @Test
    void neverPrintsSecrets() {
        context.withPropertyValues(
                        "janela.ingress.app-secrets=very-secret-1", "janela.ingress.verify-token=very-secret-2")
                .run(started -> assertThat(
                                started.getBean(IngressProperties.class).toString())
                        .doesNotContain("very-secret"));
    }

    /**
     * Secrets mounted as files (a Kubernetes Secret volume) are read through the application's own
     * {@code spring.config.import}, one file per property, trailing newline and all.
     */
    @Test
    void readsSecretsFromFilesInTheSecretsFolder(@TempDir Path secrets) throws IOException {
        Files.writeString(secrets.resolve("janela.ingress.app-secrets"), "mounted-secret-a,mounted-secret-b\n");
        Files.writeString(secrets.resolve("janela.ingress.verify-token"), "mounted-token\n");

        try (ConfigurableApplicationContext started = new SpringApplicationBuilder(PropertiesOnly.class)
                .web(WebApplicationType.NONE)
                .bannerMode(org.springframework.boot.Banner.Mode.OFF)
                .properties("JANELA_SECRETS_DIR=" + secrets)
                .run()) {
            IngressProperties properties = started.getBean(IngressProperties.class);
            assertThat(properties.appSecrets()).containsExactly("mounted-secret-a", "mounted-secret-b");
            assertThat(properties.verifyToken()).isEqualTo("mounted-token");
            SpringApplication.exit(started);
        }
    }

    /** Not a {@code @Configuration}: the application's component scan (benchmarks start it with test classes on the
     * class path) must not pick it up. */
    @EnableConfigurationProperties(IngressProperties.class)
    static class PropertiesOnly {}
}
