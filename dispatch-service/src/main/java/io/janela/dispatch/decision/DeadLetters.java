package io.janela.dispatch.decision;

import io.janela.contract.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The headers of a record dispatch puts on whatsapp.outbound-requests.dead-letter: the original headers, and
 * {@link DeadLetterHeaders} saying why (a stable reason code and a sentence) and where from. Never a message body.
 */
final class DeadLetters {

    /** The request could not be decoded. */
    static final String UNDECODABLE = "UNDECODABLE";

    /** The request decoded but breaks a rule of the contract. */
    static final String INVALID_REQUEST = "INVALID_REQUEST";

    private static final int CAUSE_LIMIT = 1_000;

    private DeadLetters() {}

    static Headers headers(
            Headers original,
            String reason,
            String cause,
            Exception exception,
            String service,
            Instant at,
            RecordMetadata source) {
        Headers headers = new RecordHeaders(original == null ? null : original.toArray());
        put(headers, DeadLetterHeaders.REASON, reason);
        put(headers, DeadLetterHeaders.CAUSE, cause.length() <= CAUSE_LIMIT ? cause : cause.substring(0, CAUSE_LIMIT));
        if (exception != null) {
            put(headers, DeadLetterHeaders.EXCEPTION, exception.getClass().getName());
        }
        put(headers, DeadLetterHeaders.SERVICE, service);
        put(headers, DeadLetterHeaders.FAILED_AT, at.toString());
        if (source != null) {
            put(headers, DeadLetterHeaders.SOURCE_TOPIC, source.topic());
            put(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(source.partition()));
            put(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(source.offset()));
        }
        return headers;
    }

    /** An exception and its causes' messages, as one line. */
    static String describe(Throwable exception) {
        StringBuilder text = new StringBuilder();
        for (Throwable level = exception; level != null && text.length() < CAUSE_LIMIT; level = level.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(level.getClass().getSimpleName());
            if (level.getMessage() != null) {
                text.append(": ").append(level.getMessage());
            }
        }
        return text.toString();
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
