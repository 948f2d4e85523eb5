package io.janela.window.rules;

import io.janela.window.rules.ContactState.Fep;
import java.time.Duration;
import java.time.Instant;

/**
 * The free entry point window (WHATSAPP.md §1.4): a click-to-WhatsApp message makes the contact eligible for the
 * eligibility period; the first business reply in that period opens an FEP window of the FEP length from the reply,
 * which does not restart; Meta's {@code conversation.expiration_timestamp} confirms it and wins over the prediction.
 *
 * <p>Every rule gives the same result whatever order its inputs come in: eligibility periods merge when they
 * overlap, the FEP opens at the earliest reply in the period, and a confirmed expiry is only replaced by a later one.
 */
final class FepRules {

    /**
     * How far before a click the opening estimated from Meta's confirmed expiry may fall and still be the FEP window
     * that click made possible: Meta's expiry is the reply plus 72 hours give or take seconds, and a bot may answer a
     * click within a second.
     */
    private static final Duration ESTIMATE_SLACK = Duration.ofMinutes(1);

    private final Duration eligibility;
    private final Duration length;

    FepRules(Duration eligibility, Duration length) {
        this.eligibility = eligibility;
        this.length = length;
    }

    /** A click-to-WhatsApp message at {@code at}; {@code replies} may already hold the business's answer. */
    Fep onReferral(Fep fep, Instant at, Sightings replies) {
        Instant until = at.plus(eligibility);
        Fep next;
        if (fep != null
                && fep.eligibleUntil() != null
                && !at.isAfter(fep.eligibleUntil())
                && !until.isBefore(fep.eligibleFrom())) {
            next = new Fep(
                    Times.min(fep.eligibleFrom(), at),
                    Times.max(fep.eligibleUntil(), until),
                    fep.openedAt(),
                    fep.expiresAt(),
                    fep.confirmed());
        } else if (fep != null && fep.confirmed() && opensWithin(fep, at.minus(ESTIMATE_SLACK), until)) {
            // Meta confirmed the FEP window this click made possible before the click itself was processed (its
            // webhook came late). The confirmed expiry stays; the opening, estimated as Meta's expiry minus the FEP
            // length (seconds off either way), gives way to the reply in this eligibility when there is one.
            Instant reply = replies.earliestIn(at, until);
            return new Fep(at, until, reply != null ? reply : fep.openedAt(), fep.expiresAt(), true);
        } else if (fep != null
                && fep.expiresAt() != null
                && at.isBefore(fep.expiresAt())
                && (fep.openedAt() == null || !at.isBefore(fep.openedAt()))) {
            return fep; // an FEP window is running: it does not restart
        } else {
            next = new Fep(at, until, null, null, false);
        }
        Instant reply = replies.earliestIn(next.eligibleFrom(), next.eligibleUntil());
        return reply == null ? next : opened(next, reply);
    }

    /** A business message at {@code at}: inside an eligibility period, it opens (or moves earlier) the FEP window. */
    Fep onBusinessMessage(Fep fep, Instant at) {
        if (fep == null
                || fep.eligibleFrom() == null
                || at.isBefore(fep.eligibleFrom())
                || at.isAfter(fep.eligibleUntil())) {
            return fep;
        }
        return opened(fep, at);
    }

    /** Meta's confirmed expiry. A contact without a known referral (a Facebook Page button) is confirmed too. */
    Fep onConfirmation(Fep fep, FepConfirmation confirmation) {
        Instant expiresAt = confirmation.expiresAt();
        if (fep == null) {
            return new Fep(null, null, expiresAt.minus(length), expiresAt, true);
        }
        if (fep.openedAt() != null && !expiresAt.isAfter(fep.openedAt())) {
            return fep; // an earlier FEP window
        }
        if (fep.eligibleFrom() != null && !expiresAt.isAfter(fep.eligibleFrom())) {
            return fep; // an FEP window that ended before this eligibility began (a webhook Meta retried late)
        }
        if (fep.confirmed() && !expiresAt.isAfter(fep.expiresAt())) {
            return fep; // already known, or older
        }
        Instant openedAt = fep.openedAt() != null ? fep.openedAt() : expiresAt.minus(length);
        return new Fep(fep.eligibleFrom(), fep.eligibleUntil(), openedAt, expiresAt, true);
    }

    private static boolean opensWithin(Fep fep, Instant from, Instant until) {
        return fep.openedAt() != null
                && !fep.openedAt().isBefore(from)
                && !fep.openedAt().isAfter(until);
    }

    private Fep opened(Fep fep, Instant reply) {
        Instant openedAt = Times.min(fep.openedAt(), reply);
        return new Fep(
                fep.eligibleFrom(),
                fep.eligibleUntil(),
                openedAt,
                fep.confirmed() ? fep.expiresAt() : openedAt.plus(length),
                fep.confirmed());
    }
}
