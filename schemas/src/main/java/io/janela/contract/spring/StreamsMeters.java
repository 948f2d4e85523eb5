package io.janela.contract.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;

/**
 * Kafka Streams' metrics in Micrometer (the {@code kafka_stream_*} meters, as Spring Boot's
 * {@link KafkaStreamsMicrometerListener} names them), bound so that no meter ever reads a state store that is
 * closing. It replaces Boot's listener on each Streams factory bean.
 *
 * <p>Why: Kafka Streams 4.4 registers a gauge per store, {@code stream-state-metrics / uncommitted-bytes}, that reads
 * the native size of the store's RocksDB write batch (transactional state stores, KIP-892), and a store closes
 * (freeing the batch) <em>before</em> its metrics are removed ({@code MeteredKeyValueStore.close}). Boot's binder reads
 * every metric's value on each refresh ({@code micrometer-kafka-metrics} thread) and on every Prometheus scrape, and
 * Spring Kafka unbinds it only after {@code KafkaStreams.close()} returned; a read in between is a use after free in
 * native code, which can end the JVM with SIGSEGV (issue 14). The same window opens whenever a rebalance closes a
 * task's stores. So:
 *
 * <ul>
 *   <li>the binder never sees the state-store group ({@code stream-state-metrics}, {@code kafka_stream_state_*}): no
 *       dashboard or alert uses it, and it is the only group whose gauges call into a store (RocksDB properties, key
 *       counts, uncommitted bytes). Client, thread, task and processor metrics are plain Java values and stay;
 *   <li>its meters are removed, and its refresh stopped and waited for, when Streams begins to close (the transition
 *       to PENDING_SHUTDOWN, which {@code KafkaStreams.close()} makes before it stops any thread), not after.
 * </ul>
 */
final class StreamsMeters {

    /** Kafka Streams' state-store metric group ({@code StreamsMetricsImpl.STATE_STORE_LEVEL_GROUP}). */
    static final String STATE_STORE_GROUP = "stream-state-metrics";

    private static final Logger log = LoggerFactory.getLogger(StreamsMeters.class);

    private final ObjectProvider<MeterRegistry> registry;

    StreamsMeters(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry;
    }

    /**
     * Puts a {@link Binding} in place of Boot's listener on this factory bean.
     *
     * @return the state listener to give the factory bean: it unbinds the meters on PENDING_SHUTDOWN, then tells
     *     {@code next}
     */
    KafkaStreams.StateListener bind(StreamsBuilderFactoryBean factoryBean, KafkaStreams.StateListener next) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters == null) {
            return next;
        }
        List.copyOf(factoryBean.getListeners()).stream()
                .filter(KafkaStreamsMicrometerListener.class::isInstance)
                .forEach(factoryBean::removeListener);
        Binding binding = new Binding(meters);
        factoryBean.addListener(binding);
        return (newState, oldState) -> {
            try {
                if (newState == KafkaStreams.State.PENDING_SHUTDOWN) {
                    binding.unbind();
                }
            } catch (RuntimeException e) {
                // Health must still hear of the close, and KafkaStreams.close() must not fail because of a meter.
                log.warn("Could not unbind the Kafka Streams meters at {}", newState, e);
            } finally {
                next.onChange(newState, oldState);
            }
        };
    }

    /** Every metric but the state stores'. */
    static Map<MetricName, ? extends Metric> withoutStateStores(Map<MetricName, ? extends Metric> metrics) {
        return metrics.entrySet().stream()
                .filter(e -> !STATE_STORE_GROUP.equals(e.getKey().group()))
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** One Streams client's meters: bound when the factory bean adds it, unbound at most once. */
    static final class Binding implements StreamsBuilderFactoryBean.Listener {

        private final MeterRegistry registry;
        private ScheduledExecutorService refresher;
        private KafkaClientMetrics binder;

        Binding(MeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void streamsAdded(String id, KafkaStreams streams) {
            bind(id, streams::metrics);
        }

        @Override
        public void streamsRemoved(String id, KafkaStreams streams) {
            unbind();
        }

        /** Binds these metrics (without the state stores'), tagged {@code spring.id} as Boot's listener does. */
        synchronized void bind(String id, Supplier<Map<MetricName, ? extends Metric>> metrics) {
            unbind();
            refresher = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "janela-streams-meters");
                thread.setDaemon(true);
                return thread;
            });
            // Micrometer's Kafka binder takes its metrics from a client; this one answers only metrics().
            binder = new KafkaClientMetrics(
                    metricsOnly(() -> withoutStateStores(metrics.get())), List.of(Tag.of("spring.id", id)), refresher);
            binder.bindTo(registry);
        }

        /** Stops the refresh, waits for one in progress, and removes the meters. Idempotent. */
        synchronized void unbind() {
            if (binder == null) {
                return;
            }
            refresher.shutdownNow();
            try {
                if (!refresher.awaitTermination(10, TimeUnit.SECONDS)) {
                    log.warn("Kafka Streams meters: a refresh did not end within 10 s of the unbinding");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            binder.close();
            binder = null;
            refresher = null;
        }

        synchronized boolean bound() {
            return binder != null;
        }
    }

    /** A {@link Consumer} whose only answer is {@code metrics()}: what {@link KafkaClientMetrics} reads. */
    private static Consumer<?, ?> metricsOnly(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        return (Consumer<?, ?>) Proxy.newProxyInstance(
                Consumer.class.getClassLoader(), new Class<?>[] {Consumer.class}, (proxy, method, args) -> {
                    return switch (method.getName()) {
                        case "metrics" -> metrics.get();
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "Kafka Streams metrics without the state stores'";
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
    }
}
