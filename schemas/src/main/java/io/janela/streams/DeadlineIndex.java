package io.janela.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Deadlines in time order, for a processor that acts on them from a wall-clock punctuation: a key-value store whose
 * keys sort by due time (RocksDB orders keys as unsigned bytes; a non-negative big-endian epoch millisecond sorts like
 * the time), so finding what is due is one range read from the start to "now" and costs in proportion to what is due,
 * never to the states the processor holds.
 *
 * <p>Key layout: due time (8 bytes, big-endian) · the kind's {@linkplain Kind#code() code} (1 byte) · a qualifier
 * (8 bytes, only for kinds that are {@linkplain Kind#qualified() qualified}, e.g. the lead time of a warning) · the
 * id (UTF-8). Values are empty. Kind codes are explicit, never an enum's ordinal, so that reordering or adding kinds
 * never changes what stored keys mean.
 *
 * <p>Deleted keys stay in RocksDB as tombstones until compaction, and a range read from the very start would step
 * over them again on every punctuation. So the index remembers below which time everything is done ({@code
 * scanFrom}, in memory, per processor instance; from the start again after a restart) and lowers it when a deadline
 * is put behind it.
 *
 * <p>The index is meant to be derived from the processor's states and to have no changelog ({@link #storeBuilder}):
 * a changelog would cost a record per deadline put or taken to restore what the states already say. When a task
 * starts, {@link DeadlineRebuild} puts the deadlines the states name back, in slices from a wall-clock punctuation,
 * while the task runs: Kafka Streams calls {@code init} once the states are restored and holds the task (and the
 * application's RUNNING state, readiness and queries) until it returns, so reading every state there cost 28–53 s for
 * a million contacts (docs/benchmarks.md). Why the task may run before the index is complete:
 *
 * <ul>
 *   <li><b>What holds.</b> Every deadline a state names has an entry at or before its time (exactly at it, for
 *       processors that look entries up by time). Processing keeps this up incrementally: a change puts the entries
 *       the new deadlines need and may lean on the old ones being there (a window whose expiry moves later keeps its
 *       earlier entry, which moves on when it comes due; {@link #keepEarliest} and {@link #ensure} put nothing when
 *       the state already names an earlier deadline).
 *   <li><b>A state the rebuild has not reached yet</b> may name a deadline the index lacks, and a record processed for
 *       it may lean on that missing entry. It ends up right all the same: the rebuild reads each state when it gets to
 *       its key, as the state is then (each slice opens a new iterator after the records processed since the last
 *       one), and puts every deadline it names; putting an entry that is there leaves one. A state created or changed
 *       after the rebuild passed its key is one whose entries were there (the rebuild put them) or one that is new
 *       (nothing to lean on: processing puts all its deadlines). So when the last slice ends, what holds holds for
 *       every state, and each state has the entries of its current deadlines: no more than a full rebuild at start
 *       would have given.
 *   <li><b>Deadlines due during the rebuild still fire.</b> The processor's own punctuation runs between slices and
 *       acts on every entry already in the index on time. An entry the index lacked is put when the rebuild reaches
 *       its state and, being due, is taken by the next punctuation ({@link #schedule} lowers the scan start): it
 *       fires late by at most the time from the task's start to the end of its rebuild plus one punctuation
 *       interval. The index's store is persistent: it survives a clean stop, and with transactional state stores
 *       (KIP-892) Kafka Streams no longer wipes a task's state after a crash, so such entries are few: those of
 *       states the processor did not see change (restored from the changelog, updated as a standby, or written
 *       after the index's last flush before a crash). The time to the
 *       end of the rebuild is in the log and {@code janela.deadline.index.rebuilds.running}.
 *   <li><b>Stale entries.</b> A copy of the index left from an earlier assignment, or a state changed since its entry
 *       was put, leaves entries that no state names: the rebuild never removes entries, and callers treat an entry
 *       that does not match its state as stale (they act only when it matches, and move or drop it otherwise).
 *   <li><b>A restart during the rebuild</b> starts it again from the first state (where it got to lives only in
 *       memory): putting what is already there changes nothing, and entries put before the restart match their
 *       states or are stale.
 *   <li><b>Not skipped</b>, even when nothing was restored from the changelog and the index's store survived: a
 *       standby replica promoted to active brings states its processor never saw (standby updates bypass the
 *       restore listener, so "nothing restored" does not mean "nothing changed"), the index has no changelog offset of
 *       its own to prove which commit of the states it matches after a crash, and an index wiped, lost or copied
 *       apart from its states cannot be told from one in step. Off the critical path the rebuild costs stream-thread time only,
 *       which made a proof for the cases where skipping would be safe not worth its risk.
 * </ul>
 *
 * <p>Not thread-safe: one instance per processor, used from its stream thread.
 *
 * @param <K> the kinds of deadline this index holds
 */
public final class DeadlineIndex<K extends Enum<K> & DeadlineIndex.Kind> {

    /** A kind of deadline. Implemented by an enum; its codes are part of the stored keys. */
    public interface Kind {

        /** The byte that names this kind in a key; distinct per enum, and never changed once keys are stored. */
        byte code();

        /** Whether keys of this kind carry an 8-byte qualifier after the kind byte. */
        default boolean qualified() {
            return false;
        }
    }

    /**
     * One deadline as found in the index.
     *
     * @param qualifier 0 for a kind that is not {@linkplain Kind#qualified() qualified}
     */
    public record Due<K>(long dueAt, K kind, long qualifier, String id) {

        public Due {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
        }

        public Due(long dueAt, K kind, String id) {
            this(dueAt, kind, 0, id);
        }
    }

    /**
     * What a {@linkplain DeadlineRebuild rebuild} did.
     *
     * @param took from the task's start to the end of the rebuild (wall time: records were processed meanwhile)
     */
    public record Rebuilt(long statesRead, Duration took) {}

    private static final byte[] NOTHING = new byte[0];

    private final KeyValueStore<Bytes, byte[]> store;
    private final Kinds<K> kinds;
    private long scanFrom;

    public DeadlineIndex(KeyValueStore<Bytes, byte[]> store, Class<K> kinds) {
        this.store = Objects.requireNonNull(store, "store");
        this.kinds = new Kinds<>(kinds);
    }

    /**
     * A persistent store for an index named {@code name}: no changelog (see the class comment), and no record cache,
     * since its keys are written once and deleted when due, never overwritten.
     */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> storeBuilder(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled()
                .withLoggingDisabled();
    }

    /** Puts a deadline of an unqualified kind. */
    public void schedule(long dueAt, K kind, String id) {
        schedule(new Due<>(dueAt, kind, 0, id));
    }

    /** Puts a deadline; putting one twice leaves one. */
    public void schedule(Due<K> due) {
        store.put(key(due), NOTHING);
        scanFrom = Math.min(scanFrom, due.dueAt());
    }

    /** Takes out a deadline of an unqualified kind (nothing happens if it is not there). */
    public void cancel(long dueAt, K kind, String id) {
        cancel(new Due<>(dueAt, kind, 0, id));
    }

    /** Takes out a deadline (nothing happens if it is not there). */
    public void cancel(Due<K> due) {
        store.delete(key(due));
    }

    /**
     * Keeps one deadline of {@code kind} for {@code id} at the earlier of {@code current} (the one the state names,
     * or null) and {@code next}, and returns it for the state to name.
     */
    public Long keepEarliest(K kind, String id, Long current, Long next) {
        if (next == null || (current != null && current <= next)) {
            return current;
        }
        if (current != null) {
            cancel(current, kind, id);
        }
        schedule(next, kind, id);
        return next;
    }

    /** Puts a deadline of {@code kind} for {@code id} at {@code at} unless {@code current} names one; returns it. */
    public Long ensure(K kind, String id, Long current, long at) {
        if (current != null) {
            return current;
        }
        schedule(at, kind, id);
        return at;
    }

    /**
     * Up to {@code limit} deadlines due at or before {@code now}, earliest first. The iterator is closed before this
     * returns, so callers may change the index while they act on the entries.
     */
    public List<Due<K>> due(long now, int limit) {
        if (now < scanFrom) {
            return List.of();
        }
        List<Due<K>> due = new ArrayList<>(Math.min(limit, 1024));
        try (KeyValueIterator<Bytes, byte[]> entries = store.range(prefix(scanFrom), prefix(now + 1))) {
            while (due.size() < limit && entries.hasNext()) {
                due.add(decode(entries.next().key.get()));
            }
        }
        // Nothing due is left before the first one read. (Not "after the last one": should acting on this batch fail
        // half way, the rest must still be found.)
        scanFrom = due.isEmpty() ? now + 1 : due.getFirst().dueAt();
        return due;
    }

    /**
     * Takes the deadlines due at {@code now} (at most {@code limit}, earliest first) out of the index and hands each to
     * {@code handler}: what one punctuation of a processor does. Returns how many were handled.
     */
    public int takeDue(long now, int limit, Consumer<Due<K>> handler) {
        List<Due<K>> due = due(now, limit);
        for (Due<K> entry : due) {
            cancel(entry);
            handler.accept(entry);
        }
        return due.size();
    }

    /** The stored key of a deadline. */
    public static <K extends Enum<K> & Kind> Bytes key(Due<K> due) {
        if (due.dueAt() < 0) {
            throw new IllegalArgumentException("a deadline before 1970 cannot be indexed: " + due.dueAt());
        }
        byte[] id = due.id().getBytes(StandardCharsets.UTF_8);
        boolean qualified = due.kind().qualified();
        ByteBuffer key = ByteBuffer.allocate(Long.BYTES + 1 + (qualified ? Long.BYTES : 0) + id.length)
                .putLong(due.dueAt())
                .put(due.kind().code());
        if (qualified) {
            key.putLong(due.qualifier());
        }
        return Bytes.wrap(key.put(id).array());
    }

    /** The deadline a stored key names. */
    public Due<K> decode(byte[] key) {
        ByteBuffer buffer = ByteBuffer.wrap(key);
        long dueAt = buffer.getLong();
        K kind = kinds.of(buffer.get());
        long qualifier = kind.qualified() ? buffer.getLong() : 0;
        return new Due<>(
                dueAt, kind, qualifier, StandardCharsets.UTF_8.decode(buffer).toString());
    }

    private static Bytes prefix(long dueAt) {
        return Bytes.wrap(
                ByteBuffer.allocate(Long.BYTES).putLong(Math.max(0, dueAt)).array());
    }

    /** The kinds of one enum by code, checked once to be distinct. */
    private static final class Kinds<K extends Enum<K> & Kind> {

        private final Object[] byCode = new Object[256];

        Kinds(Class<K> type) {
            for (K kind : EnumSet.allOf(type)) {
                int code = Byte.toUnsignedInt(kind.code());
                if (byCode[code] != null) {
                    throw new IllegalArgumentException(
                            type.getSimpleName() + ": " + kind + " and " + byCode[code] + " share the code " + code);
                }
                byCode[code] = kind;
            }
        }

        @SuppressWarnings("unchecked")
        K of(byte code) {
            Object kind = byCode[Byte.toUnsignedInt(code)];
            if (kind == null) {
                throw new IllegalArgumentException("no deadline kind has the code " + Byte.toUnsignedInt(code));
            }
            return (K) kind;
        }
    }
}
