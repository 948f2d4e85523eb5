package io.janela.streams;

import io.janela.contract.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter record of a record a Kafka Streams app could not read or process: the original key and value bytes,
 * the original headers, and {@link DeadLetterHeaders} saying why and where from. Never carries anything the record
 * did not already carry.
 */
final class DeadLetterRecords {

    private DeadLetterRecords() {}

    static ProducerRecord<byte[], byte[]> of(
            String deadLetterTopic,
            String service,
            String reason,
            Exception cause,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset,
            Headers originalHeaders,
            byte[] key,
            byte[] value) {
        Headers headers = new RecordHeaders(originalHeaders == null ? null : originalHeaders.toArray());
        put(headers, DeadLetterHeaders.REASON, reason);
        put(headers, DeadLetterHeaders.CAUSE, describe(cause));
        put(headers, DeadLetterHeaders.EXCEPTION, cause.getClass().getName());
        put(headers, DeadLetterHeaders.SERVICE, service);
        put(headers, DeadLetterHeaders.FAILED_AT, Instant.now().toString());
        if (sourceTopic != null) {
            put(headers, DeadLetterHeaders.SOURCE_TOPIC, sourceTopic);
            put(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(sourcePartition));
            put(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(sourceOffset));
        }
        return new ProducerRecord<>(deadLetterTopic, null, key, value, headers);
    }

    /** The exception and its causes' messages, bounded, so that the header says what went wrong at every level. */
    static String describe(Throwable cause) {
        StringBuilder text = new StringBuilder();
        for (Throwable level = cause; level != null && text.length() < 1_000; level = level.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(level.getClass().getSimpleName());
            if (level.getMessage() != null) {
                text.append(": ").append(level.getMessage());
            }
        }
        return text.length() <= 1_000 ? text.toString() : text.substring(0, 1_000) + "...";
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
