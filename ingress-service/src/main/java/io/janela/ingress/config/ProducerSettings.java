package io.janela.ingress.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer settings the ingress depends on, laid over what {@code spring.kafka.producer.*} configured. A
 * setting that would break a guarantee (acks other than all, idempotence off, a transactional id) stops the service
 * at start rather than being silently replaced.
 *
 * <ul>
 *   <li>{@code acks=all} and {@code enable.idempotence=true}: a 200 means every in-sync replica has the record, and
 *       the producer's own retries never write a record twice.
 *   <li>{@code delivery.timeout.ms} = {@code janela.ingress.publish-timeout}: when a request is answered 503 because
 *       its records were not acknowledged in time, the producer has given up on them too. A record that never left
 *       the producer (broker unreachable) is then certain not to be written later, so Meta's retry does not land it
 *       a second time. ({@code request.timeout.ms} is lowered to fit, as Kafka requires.)
 *   <li>{@code max.block.ms=0}: {@code send()} never blocks the thread that calls it, which is often an HTTP event
 *       loop. A full buffer fails the record at once (503: back-pressure to Meta); metadata of a topic the producer
 *       does not know yet is awaited by the publisher without holding a thread.
 *   <li>{@code max.request.size} large enough for a dead-lettered body of {@code janela.ingress.max-body-size}.
 *   <li>Keys and values are bytes: the ingress serialises them itself, with the topics' configured serdes.
 * </ul>
 */
final class ProducerSettings {

    /** Room for headers, key and batch framing around a dead-lettered body. */
    static final int RECORD_OVERHEAD_BYTES = 64 * 1024;

    private static final long KAFKA_DEFAULT_LINGER_MS = 5;
    private static final long KAFKA_DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
    private static final long KAFKA_DEFAULT_MAX_REQUEST_SIZE = 1_048_576;

    private ProducerSettings() {}

    /** The settings to apply over {@code configured}. */
    static Map<String, Object> enforced(Map<String, Object> configured, Duration publishTimeout, int maxBodyBytes) {
        requireAbsentOr(configured, ProducerConfig.ACKS_CONFIG, "all", "-1");
        requireAbsentOr(configured, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        if (configured.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG) != null) {
            throw new IllegalStateException("The ingress publishes with an idempotent, non-transactional producer;"
                    + " remove spring.kafka.producer.transaction-id-prefix / transactional.id");
        }
        long deliveryTimeout = publishTimeout.toMillis();
        long linger = longOr(configured, ProducerConfig.LINGER_MS_CONFIG, KAFKA_DEFAULT_LINGER_MS);
        long requestTimeout = Math.min(
                longOr(configured, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, KAFKA_DEFAULT_REQUEST_TIMEOUT_MS),
                deliveryTimeout - linger);
        long maxRequestSize = Math.max(
                longOr(configured, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, KAFKA_DEFAULT_MAX_REQUEST_SIZE),
                (long) maxBodyBytes + RECORD_OVERHEAD_BYTES);

        Map<String, Object> enforced = new HashMap<>();
        enforced.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        enforced.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        enforced.put(ProducerConfig.ACKS_CONFIG, "all");
        enforced.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        enforced.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout);
        enforced.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger);
        enforced.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) requestTimeout);
        enforced.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0L);
        enforced.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) maxRequestSize);
        return enforced;
    }

    private static void requireAbsentOr(Map<String, Object> configured, String key, String... allowed) {
        Object value = configured.get(key);
        if (value == null) {
            return;
        }
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(value.toString().strip())) {
                return;
            }
        }
        throw new IllegalStateException("The ingress answers 200 only for records every in-sync replica has and"
                + " never writes one twice; the producer setting " + key + "=" + value + " would break that");
    }

    private static long longOr(Map<String, Object> configured, String key, long fallback) {
        Object value = configured.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        try {
            return Long.parseLong(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("The producer setting " + key + " is not a number: " + value, e);
        }
    }
}
