package io.janela.dispatch.decision;

import io.janela.avro.OutboundRequest;
import io.janela.avro.ParkedRequest;
import io.janela.avro.ParkedRequests;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Requests that wait, per key and in arrival order, in a store: a key with waiting requests holds them all, so a later
 * request for that key queues behind them and order is kept. The store holds only keys with waiting requests, so a
 * wall-clock punctuation that looks at all of them costs what is waiting, not what is known.
 *
 * <p>Whether a key has waiting requests is asked of every request, and almost always answered no: the keys are also
 * kept in memory, read from the store when the lot is made (a processor's {@code init}, after Kafka Streams restored
 * the store, and again whenever it re-initialises the task) and kept with every write after, so that the answer costs
 * no store read. Only this class writes the store.
 */
final class ParkingLot {

    private final KeyValueStore<String, ParkedRequests> store;
    private final Duration grace;
    private final Set<String> waiting = new HashSet<>();

    ParkingLot(KeyValueStore<String, ParkedRequests> store, Duration grace) {
        this.store = store;
        this.grace = grace;
        try (KeyValueIterator<String, ParkedRequests> keys = store.all()) {
            keys.forEachRemaining(entry -> waiting.add(entry.key));
        }
    }

    boolean hasWaiting(String key) {
        return waiting.contains(key);
    }

    void park(String key, OutboundRequest request, Instant now) {
        ParkedRequests parked = waiting.contains(key) ? store.get(key) : null;
        List<ParkedRequest> requests = parked == null ? new ArrayList<>() : new ArrayList<>(parked.getRequests());
        requests.add(new ParkedRequest(request, now));
        store.put(
                key,
                new ParkedRequests(requests, requests.getFirst().getParkedAt().plus(grace)));
        waiting.add(key);
    }

    /** Every key with waiting requests and its queue; the iterator is closed before the caller acts. */
    List<KeyValue<String, List<ParkedRequest>>> all() {
        List<KeyValue<String, List<ParkedRequest>>> all = new ArrayList<>();
        try (KeyValueIterator<String, ParkedRequests> iterator = store.all()) {
            iterator.forEachRemaining(entry -> all.add(KeyValue.pair(entry.key, entry.value.getRequests())));
        }
        return all;
    }

    /** Keeps {@code remaining} waiting for {@code key}, or forgets the key when none remain. */
    void keep(String key, List<ParkedRequest> remaining) {
        if (remaining.isEmpty()) {
            store.delete(key);
            waiting.remove(key);
        } else {
            store.put(
                    key,
                    new ParkedRequests(
                            remaining, remaining.getFirst().getParkedAt().plus(grace)));
            waiting.add(key);
        }
    }

    /** Whether a request parked at {@code parkedAt} may still wait at {@code now}. */
    boolean mayWait(ParkedRequest request, Instant now) {
        return now.isBefore(request.getParkedAt().plus(grace));
    }
}
