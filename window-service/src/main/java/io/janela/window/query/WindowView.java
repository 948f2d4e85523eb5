package io.janela.window.query;

import io.janela.window.rules.ContactState;
import java.time.Duration;
import java.time.Instant;

/**
 * The answer of {@code GET /windows/{phoneNumberId}/{contactId}}: is the customer service window open now, until
 * when, how long is left, and the free entry point window. Times are ISO-8601 instants (Meta's time); "now" is this
 * instance's clock at the time of the answer ({@code asOf}).
 *
 * @param open the window is open now: not closed, and its expiry is still ahead (the punctuator may lag by up to
 *     its interval; this does not)
 * @param secondsLeft whole seconds until expiry while open, else 0
 * @param waitingSince the first customer message not yet answered, if any
 */
record WindowView(
        String phoneNumberId,
        String contactId,
        boolean open,
        Instant openedAt,
        Instant expiresAt,
        long secondsLeft,
        Instant closedAt,
        String closeReason,
        Instant lastInboundAt,
        boolean businessReplied,
        Instant waitingSince,
        FreeEntryPoint freeEntryPoint,
        long windowsOpened,
        Instant asOf) {

    /**
     * @param status NONE (never eligible), ELIGIBLE (a click-to-WhatsApp entry awaits the first reply), OPEN, or
     *     EXPIRED
     * @param confirmed the expiry is Meta's (from a status webhook), not predicted
     */
    public record FreeEntryPoint(
            String status, Instant eligibleUntil, Instant expiresAt, boolean confirmed, long secondsLeft) {}

    static WindowView of(ContactState state, Instant now) {
        ContactState.Window window = state.window();
        boolean open = window.open() && window.expiresAt().isAfter(now);
        return new WindowView(
                state.identity().phoneNumberId(),
                state.identity().contactId(),
                open,
                window.openedAt(),
                window.expiresAt(),
                open ? Duration.between(now, window.expiresAt()).toSeconds() : 0,
                window.open() ? null : window.closedAt(),
                window.open() ? null : window.closedByMeta() ? "CLOSED_BY_META" : "EXPIRED",
                state.totals().lastInboundAt(),
                window.businessReplied(),
                window.waitingSince(),
                freeEntryPoint(state.fep(), now),
                state.totals().windowsOpened(),
                now);
    }

    private static FreeEntryPoint freeEntryPoint(ContactState.Fep fep, Instant now) {
        if (fep == null) {
            return new FreeEntryPoint("NONE", null, null, false, 0);
        }
        String status;
        long left = 0;
        if (fep.expiresAt() != null && fep.expiresAt().isAfter(now)) {
            status = "OPEN";
            left = Duration.between(now, fep.expiresAt()).toSeconds();
        } else if (fep.expiresAt() != null) {
            status = "EXPIRED";
        } else if (fep.eligibleUntil() != null && fep.eligibleUntil().isAfter(now)) {
            status = "ELIGIBLE";
        } else {
            status = "NONE";
        }
        return new FreeEntryPoint(status, fep.eligibleUntil(), fep.expiresAt(), fep.confirmed(), left);
    }
}
