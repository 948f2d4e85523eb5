package io.janela.metrics.conversation;

import io.janela.avro.ResponderKind;
import java.time.Instant;
import java.util.Objects;

/**
 * A message the business sent to a contact, at its send time: the dispatch result's {@code sentAt} for messages Janela
 * sent, the {@code sent} status's timestamp for messages sent outside Janela. The message stream hands exactly one of
 * these per message id to the conversation stream.
 *
 * @param arrivedAt processing time at which it reached the conversation (for the settle delay)
 */
public record BusinessMessage(String messageId, Instant at, ResponderKind responderKind, long arrivedAt) {

    public BusinessMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(responderKind, "responderKind");
    }

    BusinessMessage arrived(long time) {
        return new BusinessMessage(messageId, at, responderKind, time);
    }
}
