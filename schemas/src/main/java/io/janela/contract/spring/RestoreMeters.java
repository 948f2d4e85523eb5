package io.janela.contract.spring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;

/**
 * {@link StreamsRestores}' counts in Micrometer, labelled by {@code store} (the topology's store names: a closed set)
 * and {@code from} ({@code checkpoint}, {@code scratch}); never by partition:
 *
 * <ul>
 *   <li>{@value #STARTED}: restores of a changelog partition begun;
 *   <li>{@value #RESTORED}: changelog records restored.
 * </ul>
 *
 * Every store of the topology has both series of both meters at 0 from Streams' start, so that a first restore from
 * scratch is an increase that {@code increase()} sees (stores without a changelog stay at 0).
 */
final class RestoreMeters implements StreamsRestores.Counts {

    static final String STARTED = "janela.streams.restores.started";
    static final String RESTORED = "janela.streams.records.restored";

    private final MeterRegistry registry;

    RestoreMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void stores(Collection<String> stores) {
        for (String store : stores) {
            for (StreamsRestores.From from : StreamsRestores.From.values()) {
                counter(STARTED, store, from);
                counter(RESTORED, store, from);
            }
        }
    }

    @Override
    public void started(String store, StreamsRestores.From from) {
        counter(STARTED, store, from).increment();
    }

    @Override
    public void restored(String store, StreamsRestores.From from, long records) {
        counter(RESTORED, store, from).increment(records);
    }

    private Counter counter(String name, String store, StreamsRestores.From from) {
        return Counter.builder(name)
                .description(
                        name.equals(STARTED)
                                ? "Restores of a state store's changelog partition begun, by where they started"
                                : "Changelog records restored into a state store, by where its restore started")
                .tag("store", store)
                .tag("from", from.label())
                .register(registry);
    }
}
