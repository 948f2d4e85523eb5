package io.janela.window.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.window.rules.Deadline;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class WindowDeadlinesTest {

    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final String CONTACT = "106540352242922:US.13491208655302741918";

    final KeyValueStore<Bytes, byte[]> store = inMemoryStore();
    final WindowDeadlines deadlines = new WindowDeadlines(store);

    @Test
    void keysKeepTheLayoutStoredBeforeTheIndexWasShared() {
        // due time · kind (CLOSING_SOON 0, CLOSE 1) · lead in ms · contact key: a RocksDB index written by an earlier
        // version stays readable, so an upgrade needs no wipe of the local state.
        assertThat(WindowDeadlines.key(CONTACT, Deadline.closingSoon(T0, Duration.ofMinutes(30))))
                .isEqualTo(layout(T0.minus(Duration.ofMinutes(30)), 0, Duration.ofMinutes(30)));
        assertThat(WindowDeadlines.key(CONTACT, Deadline.close(T0))).isEqualTo(layout(T0, 1, Duration.ZERO));
    }

    @Test
    void aDueEntryComesBackAsItsContactAndDeadline() {
        Deadline soon = Deadline.closingSoon(T0, Duration.ofMinutes(30));
        deadlines.schedule(CONTACT, Deadline.close(T0));
        deadlines.schedule(CONTACT, soon);

        assertThat(deadlines.due(T0, 10))
                .containsExactly(
                        new WindowDeadlines.Entry(CONTACT, soon),
                        new WindowDeadlines.Entry(CONTACT, Deadline.close(T0)));
    }

    @Test
    void anEntryPutFromAnOlderVersionIsFound() {
        store.put(layout(T0, 1, Duration.ZERO), new byte[0]);

        assertThat(deadlines.due(T0, 10)).containsExactly(new WindowDeadlines.Entry(CONTACT, Deadline.close(T0)));
    }

    private static Bytes layout(Instant dueAt, int kind, Duration lead) {
        byte[] contact = CONTACT.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(17 + contact.length)
                .putLong(dueAt.toEpochMilli())
                .put((byte) kind)
                .putLong(lead.toMillis())
                .put(contact)
                .array());
    }

    private static KeyValueStore<Bytes, byte[]> inMemoryStore() {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore("deadlines"), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled()
                .build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }
}
