package io.janela.metrics.streams;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class DeadlineIndexTest {

    private final DeadlineIndex index = new DeadlineIndex(store());

    @Test
    void dueReturnsTheDeadlinesAtOrBeforeNowEarliestFirst() {
        index.schedule(3_000, DeadlineIndex.Kind.CHECK, "b");
        index.schedule(1_000, DeadlineIndex.Kind.EVICT, "a");
        index.schedule(3_001, DeadlineIndex.Kind.CHECK, "c");
        index.schedule(2_000, DeadlineIndex.Kind.CHECK, "ü");

        assertThat(index.due(3_000, 10))
                .containsExactly(
                        new DeadlineIndex.Due(1_000, DeadlineIndex.Kind.EVICT, "a"),
                        new DeadlineIndex.Due(2_000, DeadlineIndex.Kind.CHECK, "ü"),
                        new DeadlineIndex.Due(3_000, DeadlineIndex.Kind.CHECK, "b"));
        assertThat(index.due(3_000, 1)).hasSize(1);
    }

    @Test
    void aCancelledDeadlineIsNotDue() {
        index.schedule(1_000, DeadlineIndex.Kind.CHECK, "a");
        index.cancel(1_000, DeadlineIndex.Kind.CHECK, "a");

        assertThat(index.due(5_000, 10)).isEmpty();
    }

    @Test
    void moveCheckKeepsOneCheckPerIdAtTheEarliestTime() {
        assertThat(index.moveCheck("a", null, 5_000L)).isEqualTo(5_000L);
        assertThat(index.moveCheck("a", 5_000L, 7_000L)).isEqualTo(5_000L);
        assertThat(index.moveCheck("a", 5_000L, 2_000L)).isEqualTo(2_000L);
        assertThat(index.moveCheck("a", 2_000L, null)).isEqualTo(2_000L);

        assertThat(index.due(10_000, 10)).containsExactly(new DeadlineIndex.Due(2_000, DeadlineIndex.Kind.CHECK, "a"));
    }

    private static KeyValueStore<Bytes, byte[]> store() {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore("deadlines"), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled()
                .build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        return store;
    }
}
