package io.janela.dispatch.rules;

import io.janela.avro.ContactWindow;
import io.janela.avro.WindowStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether a contact's customer service window allows free-form now (WHATSAPP.md §1.2, §1.6): it must be open and have
 * at least the safety margin left, because a message queued behind others, clock skew, or Meta's own early close
 * (the known issue of §1.1) would otherwise fail with 131047. A window the window-service closed (on expiry or on
 * 131047) is closed whatever its expiry says.
 */
public final class WindowRule {

    private WindowRule() {}

    public static boolean allowsFreeForm(ContactWindow window, Instant now, Duration safetyMargin) {
        return window != null
                && window.getStatus() != WindowStatus.CLOSED
                && window.getExpiresAt() != null
                && now.plus(safetyMargin).isBefore(window.getExpiresAt());
    }

    /** Whether the window is open at all, margin aside: the pricing of utility templates depends on it. */
    public static boolean isOpen(ContactWindow window, Instant now) {
        return allowsFreeForm(window, now, Duration.ZERO);
    }

    /**
     * Whether a message now is free as a free entry point (WHATSAPP.md §1.4): inside a free entry point window, or the
     * business's first reply within 24 hours of a click-to-WhatsApp entry, which opens one.
     */
    public static boolean inFreeEntryPoint(ContactWindow window, Instant now) {
        return window != null
                && ((window.getFepExpiresAt() != null && now.isBefore(window.getFepExpiresAt()))
                        || (window.getFepEligibleUntil() != null && now.isBefore(window.getFepEligibleUntil())));
    }
}
