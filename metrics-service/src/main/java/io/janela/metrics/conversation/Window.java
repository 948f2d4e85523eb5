package io.janela.metrics.conversation;

import io.janela.avro.CloseReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A customer service window as the window-service reported it (OPENED and CLOSED events), and which of its
 * measurements were emitted. {@code openedAt} identifies it: the opening message's timestamp.
 *
 * @param opening what the OPENED event said; null when only the CLOSED event was seen
 * @param closing what the CLOSED event said; null while the window is open
 * @param late a retroactive window: the window-service reported its acts as LATE (too late to open a window), and this
 *     service derived it from them ({@link LateAct}); opening and closing are both known
 */
record Window(
        Instant openedAt, Instant initialExpiresAt, Opening opening, Closing closing, Emitted emitted, boolean late) {

    Window {
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(initialExpiresAt, "initialExpiresAt");
        Objects.requireNonNull(emitted, "emitted");
    }

    /** The window's length as the window-service applies it (24 h in production). */
    Duration length() {
        return Duration.between(openedAt, initialExpiresAt);
    }

    /** A window the window-service reported (OPENED, CLOSED), or a retroactive one with a measurement emitted. */
    boolean fixed() {
        return !late || emitted.opened() || emitted.closed() || emitted.firstResponse();
    }

    Window withOpening(Opening newOpening, Instant openingExpiresAt) {
        return new Window(openedAt, openingExpiresAt, newOpening, closing, emitted, late);
    }

    Window withClosing(Closing newClosing) {
        return new Window(openedAt, initialExpiresAt, opening, newClosing, emitted, late);
    }

    Window withEmitted(Emitted newEmitted) {
        return new Window(openedAt, initialExpiresAt, opening, closing, newEmitted, late);
    }

    record Opening(
            String openingMessageId,
            boolean firstContact,
            Instant previousWindowClosedAt,
            boolean viaReferral,
            long arrivedAt) {}

    record Closing(
            Instant closedAt,
            CloseReason reason,
            boolean reportedReplied,
            Instant reportedWaitingSince,
            long arrivedAt) {}

    /**
     * Which measurements of the window were emitted, with a hash of the values last derived for each, so that a late
     * record that would change an emitted measurement is counted once. {@code firstResponseAt} is the emitted first
     * response's time (null: none emitted); it outlives the business message it came from when that is pruned.
     */
    record Emitted(
            boolean opened,
            Instant firstResponseAt,
            long firstResponseSignature,
            boolean closed,
            long closedSignature) {

        static final Emitted NOTHING = new Emitted(false, null, 0, false, 0);

        boolean firstResponse() {
            return firstResponseAt != null;
        }

        Emitted withOpened() {
            return new Emitted(true, firstResponseAt, firstResponseSignature, closed, closedSignature);
        }

        Emitted withFirstResponse(Instant at, long signature) {
            return new Emitted(opened, at, signature, closed, closedSignature);
        }

        Emitted withClosed(long signature) {
            return new Emitted(opened, firstResponseAt, firstResponseSignature, true, signature);
        }
    }
}
