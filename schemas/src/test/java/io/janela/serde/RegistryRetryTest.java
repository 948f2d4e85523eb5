package io.janela.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.serde.registry.SchemaRegistryException;
import java.time.Duration;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RegistryRetryTest {

    @Test
    void pausesDoubleFromAHundredMillisecondsUpToTheLongestAndStartOverAfterASuccess() {
        RegistryRetry retry = new RegistryRetry(Duration.ofMillis(500));

        assertThat(retry.failed()).isEqualTo(Duration.ofMillis(100));
        assertThat(retry.failed()).isEqualTo(Duration.ofMillis(200));
        assertThat(retry.failed()).isEqualTo(Duration.ofMillis(400));
        assertThat(retry.failed()).isEqualTo(Duration.ofMillis(500));
        for (int i = 0; i < 100; i++) {
            retry.failed();
        }
        assertThat(retry.failed()).isEqualTo(Duration.ofMillis(500));

        retry.succeeded();
        assertThat(retry.failed()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void onlyARegistryThatCouldNotAnswerIsTransientNotARecordOfItsOwn() {
        assertThat(RegistryRetry.isTransient(
                        new SerializationException("x", new SchemaRegistryException(503, 50301, "unavailable"))))
                .isTrue();
        assertThat(RegistryRetry.isTransient(new SerializationException("not Avro")))
                .isFalse();
    }

    @Test
    void aLongestPauseThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> new RegistryRetry(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
