package io.janela.window.tracking;

import io.janela.streams.DeadlineIndex;
import io.janela.window.rules.Deadline;
import io.janela.window.rules.DeadlineRules;
import io.janela.window.tracking.avro.StoredContact;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The windows' deadlines in a {@link DeadlineIndex} (one range read finds what is due; tombstones are skipped; no
 * changelog, rebuilt from the contacts while a task starts running: {@link io.janela.streams.DeadlineRebuild}). Each open window has an entry at or before its next
 * deadline (see {@link #follow}). Key layout, unchanged since the index was the window-service's own: due time (8
 * bytes) · kind (1: CLOSING_SOON 0, CLOSE 1) · lead in ms (8) · contact key (UTF-8).
 */
final class WindowDeadlines {

    /** The kinds as stored: both carry the lead time (zero for CLOSE) as the qualifier. */
    enum IndexedKind implements DeadlineIndex.Kind {
        CLOSING_SOON((byte) 0),
        CLOSE((byte) 1);

        private final byte code;

        IndexedKind(byte code) {
            this.code = code;
        }

        @Override
        public byte code() {
            return code;
        }

        @Override
        public boolean qualified() {
            return true;
        }
    }

    /** A deadline of one contact, as found in the index. */
    record Entry(String contactKey, Deadline deadline) {}

    private final DeadlineIndex<IndexedKind> index;

    WindowDeadlines(KeyValueStore<Bytes, byte[]> store) {
        this.index = new DeadlineIndex<>(store, IndexedKind.class);
    }

    /** The index's store: persistent (RocksDB), without a changelog or a record cache. */
    static StoreBuilder<KeyValueStore<Bytes, byte[]>> storeBuilder() {
        return DeadlineIndex.storeBuilder(StoreNames.DEADLINES);
    }

    /** Puts the next deadline a stored contact names (what the index rebuild does for each contact). */
    void scheduleNext(String contactKey, StoredContact stored) {
        schedule(contactKey, DeadlineRules.nextDeadline(ContactStateCodec.decode(stored)));
    }

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
            index.schedule(due(contactKey, deadline));
        }
    }

    void remove(Entry entry) {
        index.cancel(due(entry.contactKey(), entry.deadline()));
    }

    /** Up to {@code limit} deadlines due at or before {@code now}, earliest first. */
    List<Entry> due(Instant now, int limit) {
        return index.due(now.toEpochMilli(), limit).stream()
                .map(WindowDeadlines::entry)
                .toList();
    }

    static Bytes key(String contactKey, Deadline deadline) {
        return DeadlineIndex.key(due(contactKey, deadline));
    }

    private static DeadlineIndex.Due<IndexedKind> due(String contactKey, Deadline deadline) {
        IndexedKind kind = deadline.kind() == Deadline.Kind.CLOSE ? IndexedKind.CLOSE : IndexedKind.CLOSING_SOON;
        return new DeadlineIndex.Due<>(
                deadline.dueAt().toEpochMilli(), kind, deadline.lead().toMillis(), contactKey);
    }

    private static Entry entry(DeadlineIndex.Due<IndexedKind> due) {
        Deadline.Kind kind = due.kind() == IndexedKind.CLOSE ? Deadline.Kind.CLOSE : Deadline.Kind.CLOSING_SOON;
        return new Entry(
                due.id(), new Deadline(kind, Instant.ofEpochMilli(due.dueAt()), Duration.ofMillis(due.qualifier())));
    }
}
