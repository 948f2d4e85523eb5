package io.janela.metrics.streams;

import io.janela.streams.DeadlineIndex;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What a deadline in a metrics processor's {@link DeadlineIndex} is for. The codes are those the metrics-service's
 * own index stored (its kinds' ordinals), so an index on disk from an earlier version reads the same.
 */
public enum DeadlineKind implements DeadlineIndex.Kind {
    /** Settle what became due: measurements wait for the settle delay. */
    CHECK((byte) 0),
    /** Drop state that has not changed for the retention period. */
    EVICT((byte) 1);

    private final byte code;

    DeadlineKind(byte code) {
        this.code = code;
    }

    @Override
    public byte code() {
        return code;
    }

    /** An index of these kinds over a processor's deadline store. */
    public static DeadlineIndex<DeadlineKind> index(KeyValueStore<Bytes, byte[]> store) {
        return new DeadlineIndex<>(store, DeadlineKind.class);
    }
}
