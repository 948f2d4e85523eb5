package io.janela.ingress.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class ProducerSettingsTest {

    private static final int FOUR_MIB = 4 * 1024 * 1024;

    @Test
    void makesTheProducerIdempotentWithAcksAllAndBytesForKeysAndValues() {
        Map<String, Object> enforced = ProducerSettings.enforced(Map.of(), Duration.ofSeconds(5), FOUR_MIB);

        assertThat(enforced)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)
                .containsEntry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    }

    @Test
    void boundsTheDeliveryTimeoutByThePublishTimeoutAndFitsTheRequestTimeoutInside() {
        Map<String, Object> enforced = ProducerSettings.enforced(Map.of(), Duration.ofSeconds(5), FOUR_MIB);

        assertThat(enforced)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 5)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_995);
    }

    @Test
    void neverLetsSendBlockTheCallingThread() {
        assertThat(ProducerSettings.enforced(
                        Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000"), Duration.ofSeconds(5), FOUR_MIB))
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0L);
    }

    @Test
    void keepsAShorterRequestTimeoutAndFitsALongerLingerInside() {
        Map<String, Object> shorter = ProducerSettings.enforced(
                Map.of(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000"), Duration.ofSeconds(5), FOUR_MIB);
        Map<String, Object> longer = ProducerSettings.enforced(
                Map.of(ProducerConfig.LINGER_MS_CONFIG, "20"), Duration.ofSeconds(3), FOUR_MIB);

        assertThat(shorter).containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        assertThat(longer)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 20)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_980);
    }

    @Test
    void letsADeadLetteredBodyOfTheMaximumSizeThrough() {
        assertThat(ProducerSettings.enforced(Map.of(), Duration.ofSeconds(5), FOUR_MIB))
                .containsEntry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, FOUR_MIB + 64 * 1024);
        assertThat(ProducerSettings.enforced(
                        Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024), Duration.ofSeconds(5), 1024))
                .containsEntry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
    }

    @Test
    void refusesSettingsThatWouldWeakenAcknowledgementsOrIdempotence() {
        for (Map<String, Object> weakening : java.util.List.<Map<String, Object>>of(
                Map.of(ProducerConfig.ACKS_CONFIG, "1"),
                Map.of(ProducerConfig.ACKS_CONFIG, "0"),
                Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"),
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ingress-"))) {
            assertThatThrownBy(() -> ProducerSettings.enforced(weakening, Duration.ofSeconds(5), FOUR_MIB))
                    .as(weakening.toString())
                    .isInstanceOf(IllegalStateException.class);
        }
        Map<String, Object> explicit = new HashMap<>();
        explicit.put(ProducerConfig.ACKS_CONFIG, "-1");
        explicit.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        assertThat(ProducerSettings.enforced(explicit, Duration.ofSeconds(5), FOUR_MIB))
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
    }
}
