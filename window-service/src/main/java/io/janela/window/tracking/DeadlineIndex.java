package io.janela.window.tracking;

import io.janela.window.rules.Deadline;
import io.janela.window.rules.DeadlineRules;
import io.janela.window.tracking.avro.StoredContact;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * The windows' deadlines in time order: a key-value store whose keys sort by due time (RocksDB orders keys as
 * unsigned bytes; a non-negative big-endian epoch millisecond sorts like the time). Finding what is due is one range
 * read from the start to "now", so a punctuation costs in proportion to the deadlines due, never to the contacts held.
 *
 * <p>Each open window has an entry at or before its next deadline (see {@link #follow}). Key layout: due time
 * (8 bytes) · kind (1) · lead in ms (8) · contact key (UTF-8). Values are empty.
 *
 * <p>Deleted keys stay in RocksDB as tombstones until compaction, and a queue read from the very start would skip
 * them over and over. So the index remembers where everything before is done ({@code scanFrom}, in memory; from the
 * start again after a restart) and lowers it when a deadline is added behind it.
 *
 * <p>The index has no changelog: it is derived from the contacts store, and {@link #rebuild} puts every open
 * window's next deadline back when a task starts. A changelog would cost a record per new window (a quarter of what
 * the topology writes for one) to restore what the contacts already say. Exactly-once Kafka Streams wipes a task's
 * whole local state after an unclean stop, and a copy left from an earlier assignment may hold entries that are no
 * longer true: both are harmless, since an entry that does not match its window's state is dropped when it comes
 * due, and the rebuild puts every entry that is missing.
 */
final class DeadlineIndex {

    private static final int HEADER = Long.BYTES + 1 + Long.BYTES;
    private static final byte CLOSING_SOON = 0;
    private static final byte CLOSE = 1;

    private final KeyValueStore<Bytes, byte[]> store;
    private long scanFrom;

    DeadlineIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** The index's store: persistent (RocksDB), without a changelog or a record cache (see the class comment). */
    static StoreBuilder<KeyValueStore<Bytes, byte[]>> storeBuilder() {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.DEADLINES), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled()
                .withLoggingDisabled();
    }

    /**
     * Puts the next deadline of every contact in {@code contacts} (entries already there stay; putting one twice
     * leaves one) and returns how many contacts were read. Reads the whole store: it runs once per task start.
     */
    long rebuild(KeyValueStore<String, StoredContact> contacts) {
        long read = 0;
        try (KeyValueIterator<String, StoredContact> all = contacts.all()) {
            while (all.hasNext()) {
                KeyValue<String, StoredContact> contact = all.next();
                schedule(contact.key, DeadlineRules.nextDeadline(ContactStateCodec.decode(contact.value)));
                read++;
            }
        }
        return read;
    }

    /** A deadline of one contact, as found in the index. */
    record Entry(String contactKey, Deadline deadline) {}

    /**
     * Keeps the index in step with a record's change to a window, lazily. A window's deadlines only move later while it
     * is open (its expiry is a maximum), so an entry already in the index fires no later than needed: it is left
     * where it is and moves to the window's next deadline when it comes due ({@link #schedule} from the punctuator).
     * A refresh thus costs no index write. Only a deadline earlier than before (a new window, or lead times re-armed
     * close to the expiry) is put now. Entries of windows closed by a record (Meta's 131047, a lapse) go when due.
     */
    void follow(String contactKey, Deadline before, Deadline after) {
        if (after != null && (before == null || after.dueAt().isBefore(before.dueAt()))) {
            schedule(contactKey, after);
        }
    }

    /** Puts the contact's entry for this deadline (none for null). Putting an entry twice leaves one. */
    void schedule(String contactKey, Deadline deadline) {
        if (deadline != null) {
            store.put(key(contactKey, deadline), new byte[0]);
            scanFrom = Math.min(scanFrom, deadline.dueAt().toEpochMilli());
        }
    }

    void remove(Entry entry) {
        store.delete(key(entry.contactKey(), entry.deadline()));
    }

    /**
     * Up to {@code limit} deadlines due at or before {@code now}, earliest first. The iterator is closed before this
     * returns: callers change the store while they act on the entries.
     */
    List<Entry> due(Instant now, int limit) {
        long until = now.toEpochMilli();
        if (until < scanFrom) {
            return List.of();
        }
        List<Entry> due = new ArrayList<>(Math.min(limit, 1024));
        try (KeyValueIterator<Bytes, byte[]> entries = store.range(lowerBound(scanFrom), upperBound(until))) {
            while (due.size() < limit && entries.hasNext()) {
                KeyValue<Bytes, byte[]> entry = entries.next();
                due.add(decode(entry.key.get()));
            }
        }
        // Nothing due is left before the first one read. (Not "after the last one": should acting on this batch fail
        // half way, the rest must still be found.)
        scanFrom = due.isEmpty() ? until + 1 : due.getFirst().deadline().dueAt().toEpochMilli();
        return due;
    }

    static Bytes key(String contactKey, Deadline deadline) {
        byte[] contact = contactKey.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(HEADER + contact.length)
                .putLong(requireNonNegative(deadline.dueAt()))
                .put(deadline.kind() == Deadline.Kind.CLOSE ? CLOSE : CLOSING_SOON)
                .putLong(deadline.lead().toMillis())
                .put(contact)
                .array());
    }

    static Entry decode(byte[] key) {
        ByteBuffer buffer = ByteBuffer.wrap(key);
        Instant dueAt = Instant.ofEpochMilli(buffer.getLong());
        byte kind = buffer.get();
        Duration lead = Duration.ofMillis(buffer.getLong());
        String contactKey = new String(key, HEADER, key.length - HEADER, StandardCharsets.UTF_8);
        Deadline.Kind deadlineKind = kind == CLOSE ? Deadline.Kind.CLOSE : Deadline.Kind.CLOSING_SOON;
        return new Entry(contactKey, new Deadline(deadlineKind, dueAt, lead));
    }

    private static Bytes lowerBound(long from) {
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(from).array());
    }

    /** Sorts after every key whose due time is {@code until}: the time, then a byte above any kind. */
    private static Bytes upperBound(long until) {
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + 1)
                .putLong(until)
                .put((byte) 0xFF)
                .array());
    }

    private static long requireNonNegative(Instant dueAt) {
        long millis = dueAt.toEpochMilli();
        if (millis < 0) {
            throw new IllegalArgumentException("a deadline before 1970 cannot be indexed: " + dueAt);
        }
        return millis;
    }
}
