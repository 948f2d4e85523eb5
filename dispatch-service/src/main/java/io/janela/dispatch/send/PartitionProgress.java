package io.janela.dispatch.send;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which commands of one send-commands partition are still open. Commands of different contacts finish out of order,
 * so the offset committed is the lowest open one: a restart reads again everything from there, and the journal says
 * which of those are already done. Done commands below the committed offset get their journal entries tombstoned.
 */
final class PartitionProgress {

    /** Offset → journal key of a command read and not yet done. */
    private final TreeMap<Long, String> open = new TreeMap<>();
    /** Offset → journal key of a command done (its DONE entry written) whose offset may not be committed yet. */
    private final TreeMap<Long, String> doneAbove = new TreeMap<>();

    private long nextOffset = -1;
    private long committed = -1;

    void read(long offset, String journalKey) {
        open.put(offset, journalKey);
        nextOffset = Math.max(nextOffset, offset + 1);
    }

    /** A command read again that the journal says is done: nothing to do but let the offset pass it. */
    void alreadyDone(long offset, String journalKey) {
        doneAbove.put(offset, journalKey);
        nextOffset = Math.max(nextOffset, offset + 1);
    }

    void done(long offset) {
        String key = open.remove(offset);
        if (key != null) {
            doneAbove.put(offset, key);
        }
    }

    /** The offset to commit: the lowest open one, or the next to read when none is open; -1 before any read. */
    long committable() {
        return open.isEmpty() ? nextOffset : open.firstKey();
    }

    /** Whether {@link #committable()} moved since the last {@link #committedUpTo}. */
    boolean advanced() {
        return committable() > committed;
    }

    /** Records a commit; returns the journal keys of the done commands it passed (to tombstone). */
    List<String> committedUpTo(long offset) {
        committed = offset;
        Map<Long, String> passed = doneAbove.headMap(offset);
        List<String> keys = new ArrayList<>(passed.values());
        passed.clear();
        return keys;
    }

    int openCount() {
        return open.size();
    }
}
