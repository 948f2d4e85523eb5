package io.janela.window.rules;

import java.time.Instant;
import java.util.Objects;

/**
 * A user's business-scoped user id changed (user_id_update, WHATSAPP.md §1.3, §11.3): the same person, a new id.
 *
 * @param previousUserId the id before the change: the contact whose state moves
 * @param newUserId the id after it: the contact that holds the state from now on
 * @param at Meta's time of the change
 */
public record UserIdChange(String previousUserId, String newUserId, Instant at) {

    public UserIdChange {
        Objects.requireNonNull(previousUserId, "previousUserId");
        Objects.requireNonNull(newUserId, "newUserId");
        Objects.requireNonNull(at, "at");
        if (previousUserId.equals(newUserId)) {
            throw new IllegalArgumentException("a user id change needs two different ids");
        }
    }
}
