package io.janela.window.rules;

import java.time.Instant;
import java.util.Objects;

/**
 * A status webhook priced {@code free_entry_point} with {@code conversation.expiration_timestamp}: Meta's own end of
 * the free entry point window, which replaces the predicted one.
 *
 * @param at the status's timestamp
 * @param expiresAt Meta's expiration_timestamp
 */
public record FepConfirmation(Instant at, Instant expiresAt) {

    public FepConfirmation {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
