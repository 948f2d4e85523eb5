package io.janela.metrics.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * A store of deadlines ordered by time (processing time, ms), so that a punctuation finds what is due by reading a
 * range from the start: its cost grows with what is due, never with everything the processor holds. A key is the
 * big-endian deadline, a kind byte and the id it concerns; big-endian non-negative longs sort like the numbers.
 *
 * <p>The deadline is also kept in the state it concerns; an index entry whose state no longer names it is stale
 * and ignored, so that moving a deadline needs no read of the index.
 *
 * <p>So the index is derived from the states, and has no changelog: {@link #rebuild} puts the deadlines the states
 * name back when a task starts. A changelog would cost a record for every deadline put or taken (more than a quarter
 * of what the topology writes) to restore what the states already say. Exactly-once Kafka Streams wipes a task's
 * whole local state after an unclean stop, and a copy left from an earlier assignment may hold entries that are no
 * longer true: both are harmless, since stale entries are ignored and the rebuild puts every missing one.
 */
public final class DeadlineIndex {

    /** What a deadline is for. */
    public enum Kind {
        /** Settle what became due: measurements wait for the settle delay. */
        CHECK,
        /** Drop state that has not changed for the retention period. */
        EVICT
    }

    /** One due deadline. */
    public record Due(long dueAt, Kind kind, String id) {}

    private static final byte[] NOTHING = new byte[0];

    private final KeyValueStore<Bytes, byte[]> store;

    public DeadlineIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /**
     * A persistent store for an index named {@code name}: no changelog (see the class comment), and no record cache,
     * since its keys (a time and an id) are written once and deleted when due, never overwritten.
     */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> storeBuilder(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled()
                .withLoggingDisabled();
    }

    /**
     * Puts the check and eviction deadlines every state in {@code states} names (entries already there stay; putting
     * one twice leaves one) and returns how many states were read. Reads the whole store: once per task start.
     */
    public <V> long rebuild(
            KeyValueStore<String, V> states, Function<V, Long> checkAt, Function<V, Long> evictCheckAt) {
        long read = 0;
        try (KeyValueIterator<String, V> all = states.all()) {
            while (all.hasNext()) {
                KeyValue<String, V> state = all.next();
                Long check = checkAt.apply(state.value);
                if (check != null) {
                    schedule(check, Kind.CHECK, state.key);
                }
                Long evict = evictCheckAt.apply(state.value);
                if (evict != null) {
                    schedule(evict, Kind.EVICT, state.key);
                }
                read++;
            }
        }
        return read;
    }

    public void schedule(long dueAt, Kind kind, String id) {
        store.put(key(dueAt, kind, id), NOTHING);
    }

    public void cancel(long dueAt, Kind kind, String id) {
        store.delete(key(dueAt, kind, id));
    }

    /**
     * Makes the pending check of {@code id} the earlier of {@code current} and {@code next}, and returns it: one
     * check entry per id, at the earliest time something may settle.
     */
    public Long moveCheck(String id, Long current, Long next) {
        if (next == null || (current != null && current <= next)) {
            return current;
        }
        if (current != null) {
            cancel(current, Kind.CHECK, id);
        }
        schedule(next, Kind.CHECK, id);
        return next;
    }

    /** Schedules the eviction check of {@code id} at {@code at} unless one is pending, and returns the pending one. */
    public Long ensureEviction(String id, Long current, long at) {
        if (current != null) {
            return current;
        }
        schedule(at, Kind.EVICT, id);
        return at;
    }

    /**
     * Deadlines at or before {@code now}, earliest first, at most {@code limit} of them; the iterator is closed before
     * this returns, so the caller may change the index.
     */
    public List<Due> due(long now, int limit) {
        List<Due> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> entries = store.range(prefix(0), prefix(now + 1))) {
            while (entries.hasNext() && due.size() < limit) {
                KeyValue<Bytes, byte[]> entry = entries.next();
                ByteBuffer key = ByteBuffer.wrap(entry.key.get());
                long dueAt = key.getLong();
                Kind kind = Kind.values()[key.get()];
                String id = StandardCharsets.UTF_8.decode(key).toString();
                due.add(new Due(dueAt, kind, id));
            }
        }
        return due;
    }

    /**
     * Takes the deadlines due at {@code now} (at most {@code limit}, earliest first) out of the index and hands each to
     * {@code handler}: what one punctuation of a processor does.
     */
    public void takeDue(long now, int limit, Consumer<Due> handler) {
        for (Due due : due(now, limit)) {
            cancel(due.dueAt(), due.kind(), due.id());
            handler.accept(due);
        }
    }

    private static Bytes prefix(long dueAt) {
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(dueAt).array());
    }

    private static Bytes key(long dueAt, Kind kind, String id) {
        if (dueAt < 0) {
            throw new IllegalArgumentException("a deadline is a non-negative time: " + dueAt);
        }
        byte[] text = id.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + 1 + text.length)
                .putLong(dueAt)
                .put((byte) kind.ordinal())
                .put(text)
                .array());
    }
}
