package io.janela.window.rules;

import io.janela.window.rules.ContactState.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** What the wall clock does to a window: its next deadline, and what happens when that deadline is reached. */
public final class DeadlineRules {

    private DeadlineRules() {}

    /**
     * The wall clock reached a deadline of this contact. A deadline that no longer matches the state (the window was
     * refreshed or closed since) changes nothing. A closing-soon deadline of a window that has already expired is
     * dropped without an event: a warning after the fact helps nobody, and the close follows.
     */
    public static Transition onDeadline(ContactState stored, Deadline deadline, Instant now) {
        Window window = stored == null ? null : stored.window();
        if (window == null || !window.open()) {
            return Transition.ignored(stored, IgnoreReason.STALE);
        }
        Instant lastInboundAt = stored.totals().lastInboundAt();
        switch (deadline.kind()) {
            case CLOSE -> {
                if (!deadline.dueAt().equals(window.expiresAt())
                        || window.expiresAt().isAfter(now)) {
                    return Transition.ignored(stored, IgnoreReason.STALE);
                }
                Window closed = window.closed(window.expiresAt(), false);
                ContactState next =
                        stored.withWindow(closed).withTotals(stored.totals().withLastEventAt(closed.closedAt()));
                return new Transition(
                        stored, next, List.of(new WindowChange.Closed(closed, lastInboundAt)), null, null);
            }
            case CLOSING_SOON -> {
                if (!window.pendingLeads().contains(deadline.lead())
                        || !window.expiresAt().minus(deadline.lead()).equals(deadline.dueAt())) {
                    return Transition.ignored(stored, IgnoreReason.STALE);
                }
                List<Duration> remaining = window.pendingLeads().stream()
                        .filter(lead -> !lead.equals(deadline.lead()))
                        .toList();
                ContactState next = stored.withWindow(window.withPendingLeads(remaining));
                if (!window.expiresAt().isAfter(now)) {
                    return new Transition(stored, next, List.of(), IgnoreReason.STALE, null);
                }
                return new Transition(
                        stored,
                        next,
                        List.of(new WindowChange.ClosingSoon(next.window(), lastInboundAt, deadline.lead())),
                        null,
                        null);
            }
            default -> throw new IllegalArgumentException("unknown deadline kind " + deadline.kind());
        }
    }

    /**
     * The next moment this state needs the wall clock: an open window's earliest pending closing-soon time, else its
     * expiry; none for a closed window. The deadline index keeps one entry per open window at or before it.
     */
    public static Deadline nextDeadline(ContactState state) {
        if (state == null || !state.isOpen()) {
            return null;
        }
        Window window = state.window();
        return window.pendingLeads().stream()
                .max(Comparator.naturalOrder())
                .map(lead -> Deadline.closingSoon(window.expiresAt(), lead))
                .orElseGet(() -> Deadline.close(window.expiresAt()));
    }
}
