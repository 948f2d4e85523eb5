package io.janela.window.rules;

import java.time.Instant;
import java.util.Objects;

/**
 * A message the business sent to the contact: from a dispatch result (SENT) or a {@code sent} status webhook, which
 * also covers messages sent outside Janela. Both report the same wamid, so the message counts once.
 *
 * @param messageId the wamid
 * @param at when it was sent: Meta's status timestamp, or the time Meta accepted a dispatched send
 */
public record BusinessMessage(String messageId, Instant at) {

    public BusinessMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(at, "at");
    }
}
