package io.janela.survey.asking;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The contacts' next survey deadlines in time order (a PENDING survey's due time, an OPEN one's expiry): keys are the
 * due time as a big-endian epoch millisecond (RocksDB sorts unsigned bytes, so it sorts like the time) followed by the
 * contact key, values empty. Finding what is due is one range read up to now: a punctuation costs in proportion to
 * the surveys due, never to the contacts held. A contact has at most one entry, moved as its deadline moves.
 *
 * <p>No changelog: the index is derived from the survey store, and {@link #rebuild} puts every deadline back when a
 * task starts (an entry left from an earlier assignment that no longer matches its contact is dropped when due).
 */
final class DeadlineIndex {

    private final KeyValueStore<Bytes, byte[]> store;

    DeadlineIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    static StoreBuilder<KeyValueStore<Bytes, byte[]>> storeBuilder() {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.DEADLINES), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled()
                .withLoggingDisabled();
    }

    record Entry(String contactKey, Instant dueAt) {}

    /** Moves a contact's entry from {@code before} to {@code after} (either may be null: none). */
    void move(String contactKey, Instant before, Instant after) {
        if (before != null && before.equals(after)) {
            return;
        }
        if (before != null) {
            store.delete(key(contactKey, before));
        }
        if (after != null) {
            store.put(key(contactKey, after), new byte[0]);
        }
    }

    void remove(Entry entry) {
        store.delete(key(entry.contactKey(), entry.dueAt()));
    }

    /** Up to {@code limit} entries due at or before {@code now}, earliest first; the iterator is closed on return. */
    List<Entry> due(Instant now, int limit) {
        List<Entry> due = new ArrayList<>();
        Bytes to = Bytes.wrap(ByteBuffer.allocate(Long.BYTES + 1)
                .putLong(now.toEpochMilli())
                .put((byte) 0xFF)
                .array());
        try (KeyValueIterator<Bytes, byte[]> entries = store.range(null, to)) {
            while (due.size() < limit && entries.hasNext()) {
                KeyValue<Bytes, byte[]> entry = entries.next();
                due.add(decode(entry.key.get()));
            }
        }
        return due;
    }

    /** Puts an entry (putting it twice leaves one): the rebuild at task start. */
    void put(String contactKey, Instant dueAt) {
        store.put(key(contactKey, dueAt), new byte[0]);
    }

    static Bytes key(String contactKey, Instant dueAt) {
        byte[] contact = contactKey.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + contact.length)
                .putLong(Math.max(0, dueAt.toEpochMilli()))
                .put(contact)
                .array());
    }

    static Entry decode(byte[] key) {
        ByteBuffer buffer = ByteBuffer.wrap(key);
        Instant dueAt = Instant.ofEpochMilli(buffer.getLong());
        return new Entry(new String(key, Long.BYTES, key.length - Long.BYTES, StandardCharsets.UTF_8), dueAt);
    }
}
