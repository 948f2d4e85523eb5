package io.janela.window.tracking;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How many windows are open in one task, per business phone number: kept as windows open and close, stored in a
 * small changelogged store (so that it moves with the task and survives restarts), and read by the gauge from
 * memory. A scrape never scans the contacts.
 */
final class OpenWindowCounts {

    private final KeyValueStore<String, Long> store;
    private final WindowMetrics metrics;
    private final Object task;
    private final Map<String, AtomicLong> counts = new HashMap<>();
    private final Set<String> changed = new HashSet<>();

    private OpenWindowCounts(KeyValueStore<String, Long> store, WindowMetrics metrics, Object task) {
        this.store = store;
        this.metrics = metrics;
        this.task = task;
    }

    /** Loads the task's counts (one entry per business phone number) and registers them with the gauge. */
    static OpenWindowCounts load(KeyValueStore<String, Long> store, WindowMetrics metrics, Object task) {
        OpenWindowCounts counts = new OpenWindowCounts(store, metrics, task);
        try (KeyValueIterator<String, Long> entries = store.all()) {
            while (entries.hasNext()) {
                KeyValue<String, Long> entry = entries.next();
                counts.counter(entry.key).set(entry.value);
            }
        }
        return counts;
    }

    void change(String phoneNumberId, boolean wasOpen, boolean isOpen) {
        if (wasOpen == isOpen) {
            return;
        }
        counter(phoneNumberId).addAndGet(isOpen ? 1 : -1);
        changed.add(phoneNumberId);
    }

    /** Writes the changed counts to the store: once per record, or once per punctuation however many it closed. */
    void flush() {
        for (String phoneNumberId : changed) {
            store.put(phoneNumberId, counts.get(phoneNumberId).get());
        }
        changed.clear();
    }

    void close() {
        metrics.forgetOpenWindows(task);
    }

    private AtomicLong counter(String phoneNumberId) {
        return counts.computeIfAbsent(phoneNumberId, id -> metrics.openWindows(task, id));
    }
}
