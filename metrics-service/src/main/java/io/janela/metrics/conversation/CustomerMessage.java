package io.janela.metrics.conversation;

import java.time.Instant;
import java.util.Objects;

/**
 * A customer message that waits for an answer, at Meta's timestamp.
 *
 * @param arrivedAt processing time at which it reached the conversation (for the settle delay)
 */
record CustomerMessage(String messageId, Instant at, long arrivedAt) {

    CustomerMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(at, "at");
    }
}
