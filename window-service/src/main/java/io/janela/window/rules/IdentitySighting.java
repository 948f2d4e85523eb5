package io.janela.window.rules;

import java.time.Instant;
import java.util.Objects;

/**
 * A record that names both the contact's business-scoped user id and its phone number (a status webhook to a user
 * who shares the number).
 */
public record IdentitySighting(String userId, String waId, Instant at) {

    public IdentitySighting {
        Objects.requireNonNull(at, "at");
    }
}
