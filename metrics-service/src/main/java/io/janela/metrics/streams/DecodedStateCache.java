package io.janela.metrics.streams;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recently used states of one processor, decoded, so that the next record of the same contact or message
 * does not decode its state from the store again. The store stays the only source of truth: every change is still
 * written to it (and so to its changelog); the cache only holds what the store holds. A processor drops an entry when
 * processing it fails (the object may have been changed without being stored) and when it deletes the state; Kafka
 * Streams builds a new processor, with an empty cache, whenever a task is closed or moves.
 *
 * <p>Not thread-safe: one per processor, used by its stream thread only.
 */
public final class DecodedStateCache<V> {

    private final Map<String, V> entries;

    public DecodedStateCache(int capacity) {
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 12), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    public V get(String key) {
        return entries.get(key);
    }

    public void put(String key, V value) {
        entries.put(key, value);
    }

    public void remove(String key) {
        entries.remove(key);
    }

    /**
     * Runs {@code work} on the state of {@code key}; when it fails, drops the entry, which may hold a change that was
     * never stored.
     */
    public void forgetOnFailure(String key, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            entries.remove(key);
            throw e;
        }
    }

    public void clear() {
        entries.clear();
    }
}
