package io.janela.window.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A moment at which an open window needs the wall clock: its expiry (CLOSE) or a lead time before it (CLOSING_SOON).
 *
 * @param lead how long before expiry; zero for CLOSE
 */
public record Deadline(Kind kind, Instant dueAt, Duration lead) {

    public enum Kind {
        CLOSING_SOON,
        CLOSE
    }

    public Deadline {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(lead, "lead");
    }

    public static Deadline close(Instant expiresAt) {
        return new Deadline(Kind.CLOSE, expiresAt, Duration.ZERO);
    }

    public static Deadline closingSoon(Instant expiresAt, Duration lead) {
        return new Deadline(Kind.CLOSING_SOON, expiresAt.minus(lead), lead);
    }
}
