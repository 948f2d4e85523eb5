package io.janela.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

    @Test
    void defaultsAsConfluentsSerde() {
        AvroSerdeConfig config = AvroSerdeConfig.from(Map.of("schema.registry.url", "http://registry:8081"));

        assertThat(config.registryUrls()).containsExactly(URI.create("http://registry:8081"));
        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.useLatestVersion()).isFalse();
        assertThat(config.latestCompatibilityStrict()).isTrue();
        assertThat(config.specificAvroReader()).isFalse();
        assertThat(config.basicAuthUserInfo()).isEmpty();
        assertThat(config.latestCacheTtl()).as("-1: forever").isNull();
        assertThat(config.mockScope()).isEmpty();
    }

    @Test
    void readsSeveralUrlsAndTheOtherKeys() {
        AvroSerdeConfig config = AvroSerdeConfig.from(Map.of(
                "schema.registry.url", "http://a:8081, http://b:8081/",
                "auto.register.schemas", false,
                "use.latest.version", "true",
                "specific.avro.reader", "TRUE",
                "latest.cache.ttl.sec", "60",
                "http.connect.timeout.ms", 1500));

        assertThat(config.registryUrls()).containsExactly(URI.create("http://a:8081"), URI.create("http://b:8081/"));
        assertThat(config.autoRegisterSchemas()).isFalse();
        assertThat(config.useLatestVersion()).isTrue();
        assertThat(config.specificAvroReader()).isTrue();
        assertThat(config.latestCacheTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void takesBasicAuthFromTheUrlByDefaultAndStripsItFromTheUrl() {
        AvroSerdeConfig config =
                AvroSerdeConfig.from(Map.of("schema.registry.url", "https://svc:p%40ss@reg.example/sr"));

        assertThat(config.basicAuthUserInfo()).contains("svc:p@ss");
        assertThat(config.registryUrls()).containsExactly(URI.create("https://reg.example/sr"));
    }

    @Test
    void takesBasicAuthFromUserInfoWhenThatIsTheSource() {
        assertThat(AvroSerdeConfig.from(Map.of(
                                "schema.registry.url", "http://reg",
                                "basic.auth.credentials.source", "USER_INFO",
                                "basic.auth.user.info", "svc:secret"))
                        .basicAuthUserInfo())
                .contains("svc:secret");
        assertThat(AvroSerdeConfig.from(Map.of(
                                "schema.registry.url", "http://reg",
                                "basic.auth.credentials.source", "USER_INFO",
                                "schema.registry.basic.auth.user.info", "old:name"))
                        .basicAuthUserInfo())
                .as("Confluent's older key")
                .contains("old:name");
    }

    @Test
    void namesTheMockScope() {
        assertThat(AvroSerdeConfig.from(Map.of("schema.registry.url", "mock://local"))
                        .mockScope())
                .contains("local");
    }

    @Test
    void explainsWhatIsMissingOrUnsupported() {
        assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of(
                        "schema.registry.url", "http://reg",
                        "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TopicNameStrategy");
        assertThatThrownBy(() -> AvroSerdeConfig.from(
                        Map.of("schema.registry.url", "http://reg", "basic.auth.credentials.source", "SASL_INHERIT")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("URL and USER_INFO");
        assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of("schema.registry.url", List.of("mock://a", "http://b"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mock://");
        assertThatThrownBy(() -> AvroSerdeConfig.from(
                        Map.of("schema.registry.url", "http://reg", "auto.register.schemas", "yes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auto.register.schemas");
    }

    @Test
    void acceptsConfluentsOwnSubjectStrategyName() {
        assertThat(AvroSerdeConfig.from(Map.of(
                                "schema.registry.url",
                                "http://reg",
                                "value.subject.name.strategy",
                                "io.confluent.kafka.serializers.subject.TopicNameStrategy"))
                        .registryUrls())
                .hasSize(1);
    }
}
