package io.janela.metrics.conversation;

import java.time.Instant;
import java.util.Objects;

/**
 * A qualifying customer message or call the window-service reported as LATE: it came after the window it would have
 * opened was over, so no window opened. Retroactive windows are derived from these ({@link Conversation}).
 *
 * @param at the act's Meta time
 * @param expiresAt the expiry the act would have given a window (a window length later, or Meta's close)
 * @param opening what the LATE event said of the window it would have opened (its act id, first contact or returning)
 */
record LateAct(Instant at, Instant expiresAt, Window.Opening opening) {

    LateAct {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(opening, "opening");
    }

    boolean sameAs(LateAct other) {
        return at.equals(other.at) && Objects.equals(opening.openingMessageId(), other.opening.openingMessageId());
    }
}
