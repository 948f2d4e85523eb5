package io.janela.metrics.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.streams.DeadlineIndex;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeadlineKindTest {

    @Test
    void keysKeepTheLayoutStoredBeforeTheIndexWasShared() {
        // due time · kind (CHECK 0, EVICT 1) · id: a RocksDB index of an earlier version reads the same after an
        // upgrade.
        byte[] id = "106540352242922:wamid.HBgL".getBytes(StandardCharsets.UTF_8);

        assertThat(DeadlineIndex.key(new DeadlineIndex.Due<>(42, DeadlineKind.EVICT, "106540352242922:wamid.HBgL"))
                        .get())
                .isEqualTo(ByteBuffer.allocate(9 + id.length)
                        .putLong(42)
                        .put((byte) 1)
                        .put(id)
                        .array());
        assertThat(DeadlineKind.CHECK.code()).isZero();
    }
}
