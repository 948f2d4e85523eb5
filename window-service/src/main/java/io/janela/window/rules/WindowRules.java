package io.janela.window.rules;

import io.janela.contract.ContactKey;
import io.janela.window.rules.ContactState.Totals;
import io.janela.window.rules.ContactState.Window;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The customer service window rules of DESIGN.md §4, as pure functions from a contact's state and one input to the
 * next state and the events to emit.
 *
 * <p>Window math uses Meta's timestamps only. The one reading of the clock is {@code now}, given by the caller (the
 * stream thread's cached wall-clock time), and it answers a single question: would this message's window already
 * be over? Such a message is late: it opens nothing, because the punctuator would close it at once, and a window
 * whose time is over must stay closed for sending. Unless it falls in the contact's current or last window, it is told
 * as {@link WindowChange.Late}, so that the conversation it began still counts where conversations are measured.
 *
 * <p>Order does not matter. Expiry is a maximum, opening time and first reply minima, the last reply a maximum;
 * a duplicate message id is recognised in the contact's recent messages; a 131047 closes a window only if no later
 * customer message is known; replies that arrive before the message that opened their window are remembered and
 * counted when it comes. Records processed in any order at the same wall-clock time give the same state.
 */
public final class WindowRules {

    private final WindowPolicy policy;
    private final FepRules fep;
    private final IdentityRules identity;

    public WindowRules(WindowPolicy policy) {
        this.policy = policy;
        this.fep = new FepRules(policy.fepEligibility(), policy.fepLength());
        this.identity = new IdentityRules(policy.aliasRefresh());
    }

    public WindowPolicy policy() {
        return policy;
    }

    /** A customer message. It creates the contact only if it opens or refreshes a window. */
    public Transition onCustomerMessage(ContactState stored, ContactKey key, CustomerMessage message, Instant now) {
        if (message.inGroup()) {
            return Transition.ignored(stored, IgnoreReason.GROUP);
        }
        IgnoreReason reason = null;
        if (!policy.qualifies(message.type())) {
            reason = IgnoreReason.NOT_QUALIFYING;
        } else if (!effectiveExpiry(stored, message.at()).isAfter(now)) {
            reason = IgnoreReason.LATE;
        } else if (stored != null && stored.recentInbound().contains(Sightings.hash(message.messageId()))) {
            return Transition.ignored(stored, IgnoreReason.DUPLICATE);
        }
        Act act = new Act(message.messageId(), message.at(), message.viaReferral(), false);
        return opening(stored, key, act, message.userId(), message.waId(), reason, now);
    }

    /**
     * A user's call or a business call the user accepted (WHATSAPP.md §11.1): it opens or refreshes the window at the
     * call's time exactly like a qualifying message, once per call id, but it is no message waiting for an answer and
     * no inbound message in the counts.
     */
    public Transition onCall(ContactState stored, ContactKey key, CustomerCall call, Instant now) {
        IgnoreReason reason = null;
        if (!effectiveExpiry(stored, call.at()).isAfter(now)) {
            reason = IgnoreReason.LATE;
        } else if (stored != null && stored.recentCalls().contains(Sightings.hash(call.callId()))) {
            return Transition.ignored(stored, IgnoreReason.DUPLICATE);
        }
        return opening(
                stored, key, new Act(call.callId(), call.at(), false, true), call.userId(), call.waId(), reason, now);
    }

    /** A message or a call that opens or refreshes the window, unless {@code reason} says why not. */
    private Transition opening(
            ContactState stored,
            ContactKey key,
            Act act,
            String userId,
            String waId,
            IgnoreReason reason,
            Instant now) {
        if (reason != null) {
            List<WindowChange> late = reason == IgnoreReason.LATE ? late(stored, act) : List.of();
            if (stored == null) {
                return new Transition(null, null, late, reason, null);
            }
            // Not a window event, but it still says which phone number the contact has (a number change, say).
            IdentityRules.Update update = identity.sighted(stored, userId, waId, act.at());
            return new Transition(stored, update.state(), late, reason, update.alias());
        }
        ContactState base = stored == null ? ContactState.unknown(key) : stored;
        Transition applied = applyAct(base, act, now);
        IdentityRules.Update update = identity.sighted(applied.after(), userId, waId, act.at());
        return new Transition(stored, update.state(), applied.changes(), null, update.alias());
    }

    /**
     * The window a late act would have opened, told apart from the state: none when the act falls in the contact's
     * current or last window, or its day reaches that window's opening (that window continues its conversation and
     * already counts it). Its expiry is the one the act would have had (a window length after it, or Meta's close);
     * the contact's earlier windows say whether it was a first contact.
     */
    private List<WindowChange> late(ContactState stored, Act act) {
        Instant at = act.at();
        Window known = stored == null ? null : stored.window();
        Instant expiresAt = effectiveExpiry(stored, at);
        if (known != null
                && (known.contains(at)
                        || (at.isBefore(known.openedAt()) && known.openedAt().isBefore(expiresAt)))) {
            return List.of();
        }
        Window would = new Window(
                false,
                at,
                act.id(),
                act.viaReferral(),
                act.call(),
                expiresAt,
                expiresAt,
                false,
                null,
                null,
                null,
                List.of());
        Instant previousClosedAt = null;
        if (known != null && known.closedAt() != null && !known.closedAt().isAfter(at)) {
            previousClosedAt = known.closedAt();
        } else if (stored != null
                && stored.totals().previousWindowClosedAt() != null
                && !stored.totals().previousWindowClosedAt().isAfter(at)) {
            previousClosedAt = stored.totals().previousWindowClosedAt();
        }
        boolean firstContact = stored == null || stored.totals().windowsOpened() == 0;
        return List.of(new WindowChange.Late(would, firstContact, previousClosedAt));
    }

    /** What opens or refreshes a window: a qualifying message or a call, by its id and Meta time. */
    private record Act(String id, Instant at, boolean viaReferral, boolean call) {}

    private Transition applyAct(ContactState base, Act act, Instant now) {
        Instant at = act.at();
        Totals totals = base.totals();
        Instant horizon = now.minus(policy.windowLength());
        List<WindowChange> changes = new ArrayList<>();
        Window window = base.window();
        if (window != null && window.open() && !at.isBefore(window.expiresAt())) {
            // The window lapsed before this message: it closed at its expiry, whether or not the punctuator got there.
            // A window is open while now < expiry (punctuator, HTTP view), so a message at the expiry opens a new one.
            window = window.closed(window.expiresAt(), false);
            changes.add(new WindowChange.Closed(window, totals.lastInboundAt()));
        }
        Instant expiresAt = effectiveExpiry(base, at);
        boolean opens = window == null || !window.open();
        Window next;
        long windowsOpened = totals.windowsOpened();
        Instant previousClosedAt = totals.previousWindowClosedAt();
        if (opens) {
            windowsOpened++;
            if (window != null) {
                previousClosedAt = window.closedAt();
            }
            next = new Window(
                    true,
                    at,
                    act.id(),
                    act.viaReferral(),
                    act.call(),
                    expiresAt,
                    null,
                    false,
                    null,
                    null,
                    null,
                    policy.closingSoonLeads());
        } else {
            Instant newExpiry = Times.max(window.expiresAt(), expiresAt);
            // An earlier message of the same window arriving late moves its opening back, never past the previous one.
            boolean earlier =
                    at.isBefore(window.openedAt()) && (previousClosedAt == null || at.isAfter(previousClosedAt));
            next = new Window(
                    true,
                    earlier ? at : window.openedAt(),
                    earlier ? act.id() : window.openingMessageId(),
                    earlier ? act.viaReferral() : window.viaReferral(),
                    earlier ? act.call() : window.openedByCall(),
                    newExpiry,
                    null,
                    false,
                    window.firstReplyAt(),
                    window.lastReplyAt(),
                    window.waitingSince(),
                    // A new expiry re-arms every closing-soon event; the deadline index follows the pending leads.
                    newExpiry.equals(window.expiresAt()) ? window.pendingLeads() : policy.closingSoonLeads());
        }
        Totals nextTotals = new Totals(
                windowsOpened,
                act.call() ? totals.inboundMessages() : totals.inboundMessages() + 1,
                previousClosedAt,
                act.call() ? totals.lastInboundAt() : Times.max(totals.lastInboundAt(), at),
                totals.metaClosedAt(),
                Times.max(totals.lastEventAt(), at),
                act.call() ? Times.max(totals.lastCallAt(), at) : totals.lastCallAt());
        long hash = Sightings.hash(act.id());
        // A call is remembered apart from messages: nobody waits for an answer to it, so it never starts a wait.
        ContactState recorded = act.call()
                ? base.withRecentCalls(base.recentCalls().with(hash, at, horizon, policy.recentMessages()))
                : base.withRecentInbound(base.recentInbound().with(hash, at, horizon, policy.recentMessages()));
        ContactState after = withReplyTimes(recorded.withTotals(nextTotals).withWindow(next));
        if (act.viaReferral()) {
            after = after.withFep(fep.onReferral(after.fep(), at, after.recentReplies()));
        }
        if (opens) {
            Instant lastInbound = nextTotals.lastInboundAt();
            changes.add(new WindowChange.Opened(
                    after.window(),
                    // A window a call opened has had no customer message yet.
                    lastInbound != null && lastInbound.isBefore(after.window().openedAt()) ? null : lastInbound,
                    totals.windowsOpened() == 0,
                    previousClosedAt));
        }
        return new Transition(base, after, changes, null, null);
    }

    /** A message the business sent. It never creates a contact: business activity alone is no window. */
    public Transition onBusinessMessage(ContactState stored, BusinessMessage message, Instant now) {
        return businessMessage(stored, message, now, true);
    }

    /**
     * A message the business sent from the WhatsApp Business app on a coexistence number (an echo, WHATSAPP.md §11.2):
     * a reply in the window like any business message, but it opens, extends and closes nothing, the FEP window
     * included ("not subject to the customer service window", "do not create, extend, or affect Cloud API
     * conversation windows or Cloud API pricing").
     */
    public Transition onAppReply(ContactState stored, BusinessMessage message, Instant now) {
        return businessMessage(stored, message, now, false);
    }

    private Transition businessMessage(ContactState stored, BusinessMessage message, Instant now, boolean viaCloudApi) {
        if (stored == null) {
            return Transition.ignored(null, IgnoreReason.UNKNOWN_CONTACT);
        }
        long hash = Sightings.hash(message.messageId());
        Instant seenAt = stored.recentReplies().timeOf(hash);
        // Dispatch (when Meta accepted the send) and the sent webhook (Meta's time) report the same message: one
        // message, at the earlier of the two times.
        Instant at = Times.min(seenAt, message.at());
        ContactState next = stored.withRecentReplies(
                stored.recentReplies().with(hash, at, now.minus(policy.windowLength()), policy.recentMessages()));
        Window window = next.window();
        if (window != null && window.contains(at)) {
            // Counted even when too old to remember: the window's reply times are a minimum and a maximum.
            next = next.withWindow(window.withReplies(
                    Times.min(window.firstReplyAt(), at), Times.max(window.lastReplyAt(), at), window.waitingSince()));
        }
        next = withReplyTimes(next);
        if (viaCloudApi) {
            next = next.withFep(fep.onBusinessMessage(next.fep(), at));
        }
        return touched(stored, next, at, seenAt != null ? IgnoreReason.DUPLICATE : IgnoreReason.STALE);
    }

    /** Meta refused a free-form message with 131047: the window it knew of was closed at that time. */
    public Transition onMetaClose(ContactState stored, MetaClose close) {
        if (stored == null) {
            return Transition.ignored(null, IgnoreReason.UNKNOWN_CONTACT);
        }
        Instant at = close.at();
        Totals totals = stored.totals();
        ContactState next = stored.withTotals(new Totals(
                totals.windowsOpened(),
                totals.inboundMessages(),
                totals.previousWindowClosedAt(),
                totals.lastInboundAt(),
                Times.max(totals.metaClosedAt(), at),
                totals.lastEventAt(),
                totals.lastCallAt()));
        Window window = stored.window();
        boolean closes = window != null
                && window.open()
                && !at.isBefore(window.openedAt())
                && at.isBefore(window.expiresAt())
                // A customer message (or call) after Meta's refusal reopened the window: Meta's view is older than
                // ours.
                && (totals.lastCustomerActAt() == null
                        || !totals.lastCustomerActAt().isAfter(at));
        if (!closes) {
            return new Transition(stored, next, List.of(), IgnoreReason.STALE, null);
        }
        // Business messages at or after Meta's close were sent outside the window (the fallback template that replaced
        // the refused message, when its sent webhook came before the refusal): they are no replies in it.
        next = withReplyTimes(next.withWindow(window.closed(at, true)))
                .withTotals(next.totals().withLastEventAt(at));
        return new Transition(
                stored, next, List.of(new WindowChange.Closed(next.window(), totals.lastInboundAt())), null, null);
    }

    /** Meta's confirmed end of the free entry point window. */
    public Transition onFepConfirmation(ContactState stored, FepConfirmation confirmation) {
        if (stored == null) {
            return Transition.ignored(null, IgnoreReason.UNKNOWN_CONTACT);
        }
        ContactState next = stored.withFep(fep.onConfirmation(stored.fep(), confirmation));
        return touched(stored, next, confirmation.at(), IgnoreReason.STALE);
    }

    /** A record naming both the user id and the phone number of a known contact. */
    public Transition onIdentity(ContactState stored, IdentitySighting sighting) {
        if (stored == null) {
            return Transition.ignored(null, IgnoreReason.UNKNOWN_CONTACT);
        }
        IdentityRules.Update update = identity.sighted(stored, sighting.userId(), sighting.waId(), sighting.at());
        return new Transition(stored, update.state(), List.of(), null, update.alias());
    }

    /**
     * What a user id change does where the old id's state lives: the state (if any) leaves to be merged into the new
     * id's contact ({@link #onHandover}), and a marker stays, so that records naming the old id afterwards are told
     * apart from a contact never seen. The old id becomes an alias of the new one.
     *
     * @param marker the transition to the marker (no window events: the window lives on under the new id)
     * @param handedOver the old id's state to hand over, or null when there was none or it had already moved
     */
    public record Move(Transition marker, ContactState handedOver) {}

    public Move onUserIdChange(ContactState stored, ContactKey oldKey, UserIdChange change) {
        if (stored != null && stored.moved()) {
            return new Move(Transition.ignored(stored, IgnoreReason.DUPLICATE), null);
        }
        ContactState.Identity old =
                stored == null ? ContactState.unknown(oldKey).identity() : stored.identity();
        ContactState marker = ContactState.unknown(oldKey)
                .withIdentity(new ContactState.Identity(
                        old.phoneNumberId(),
                        old.contactId(),
                        old.userId(),
                        old.waId(),
                        old.waIdSeenAt(),
                        old.aliasWaId(),
                        old.aliasSeenAt(),
                        change.newUserId()))
                .withTotals(Totals.NONE.withLastEventAt(change.at()));
        AliasPublication alias =
                new AliasPublication(oldKey.phoneNumberId(), oldKey.contactId(), change.newUserId(), change.at());
        return new Move(new Transition(stored, marker, List.of(), null, alias), stored);
    }

    /**
     * The state of a contact whose user id changed arrives at the contact of the new id. With nothing there yet it
     * simply takes the new id; otherwise (the new id wrote before the change was processed) the two are one person
     * and merge: the recent messages, replies and calls of both, the counts added, and the windows joined where they
     * overlap. When they do not overlap, the later is the current window and an earlier one still open closes at its
     * expiry. The contact's phone number is published again as the new id's alias.
     */
    public Transition onHandover(ContactState current, ContactKey key, ContactState moved, Instant now) {
        ContactState.Identity was = moved.identity();
        Instant horizon = now.minus(policy.windowLength());
        int limit = policy.recentMessages();
        ContactState merged;
        List<WindowChange> changes = new ArrayList<>();
        if (current == null) {
            merged = moved.withIdentity(new ContactState.Identity(
                    key.phoneNumberId(), key.contactId(), key.contactId(), null, null, null, null, null));
        } else {
            merged = current.withRecentInbound(current.recentInbound().merged(moved.recentInbound(), horizon, limit))
                    .withRecentReplies(current.recentReplies().merged(moved.recentReplies(), horizon, limit))
                    .withRecentCalls(current.recentCalls().merged(moved.recentCalls(), horizon, limit))
                    .withFep(current.fep() != null ? current.fep() : moved.fep());
            Joined joined = join(current, moved, changes);
            Totals a = current.totals();
            Totals b = moved.totals();
            merged = merged.withWindow(joined.window())
                    .withTotals(new Totals(
                            a.windowsOpened() + b.windowsOpened() - (joined.overlapped() ? 1 : 0),
                            a.inboundMessages() + b.inboundMessages(),
                            joined.previousClosedAt(),
                            Times.max(a.lastInboundAt(), b.lastInboundAt()),
                            Times.max(a.metaClosedAt(), b.metaClosedAt()),
                            Times.max(a.lastEventAt(), b.lastEventAt()),
                            Times.max(a.lastCallAt(), b.lastCallAt())));
            merged = withReplyTimes(merged);
        }
        // The phone number the old id had is this contact's now: published again (its alias named the old id).
        IdentityRules.Update update = was.waId() == null
                ? new IdentityRules.Update(merged, null)
                : identity.sighted(merged, key.contactId(), was.waId(), was.waIdSeenAt());
        return new Transition(current, update.state(), changes, null, update.alias());
    }

    private record Joined(Window window, boolean overlapped, Instant previousClosedAt) {}

    /** The current window of two states of one person. */
    private static Joined join(ContactState current, ContactState moved, List<WindowChange> changes) {
        Window a = current.window();
        Window b = moved.window();
        Instant previousA = current.totals().previousWindowClosedAt();
        Instant previousB = moved.totals().previousWindowClosedAt();
        if (a == null || b == null) {
            return a == null
                    ? new Joined(b, false, Times.max(previousA, previousB))
                    : new Joined(a, false, Times.max(previousA, previousB));
        }
        boolean overlap = a.openedAt().isBefore(b.expiresAt()) && b.openedAt().isBefore(a.expiresAt());
        if (overlap) {
            Window first = a.openedAt().isAfter(b.openedAt()) ? b : a;
            Window last = a.expiresAt().isBefore(b.expiresAt()) ? b : a;
            Window window = new Window(
                    last.open(),
                    first.openedAt(),
                    first.openingMessageId(),
                    first.viaReferral(),
                    first.openedByCall(),
                    last.expiresAt(),
                    last.closedAt(),
                    last.closedByMeta(),
                    Times.min(a.firstReplyAt(), b.firstReplyAt()),
                    Times.max(a.lastReplyAt(), b.lastReplyAt()),
                    Times.min(a.waitingSince(), b.waitingSince()),
                    last.pendingLeads());
            return new Joined(window, true, first == a ? previousA : previousB);
        }
        Window earlier = a.openedAt().isBefore(b.openedAt()) ? a : b;
        Window later = earlier == a ? b : a;
        if (earlier.open()) {
            // It lapsed before the later one opened, and its own deadline is gone with the state it left.
            earlier = earlier.closed(earlier.expiresAt(), false);
            changes.add(new WindowChange.Closed(earlier, null));
        }
        return new Joined(later, false, Times.max(later == a ? previousA : previousB, earlier.closedAt()));
    }

    /**
     * When a customer message at {@code at} would stop keeping the window open: a window length later, or earlier if
     * Meta has since said (131047) that the window was closed.
     */
    private Instant effectiveExpiry(ContactState state, Instant at) {
        Instant expiry = at.plus(policy.windowLength());
        Instant metaClosedAt = state == null ? null : state.totals().metaClosedAt();
        if (metaClosedAt != null && !at.isAfter(metaClosedAt)) {
            return Times.min(expiry, metaClosedAt);
        }
        return expiry;
    }

    /**
     * Recomputes the window's reply times and waiting time from what it already knew and from the recent messages:
     * the first and last business message within the window, and the first customer message after the last reply.
     * The window is [opening, expiry): at its expiry (or Meta's close) it is no longer open.
     */
    private static ContactState withReplyTimes(ContactState state) {
        Window window = state.window();
        if (window == null) {
            return state;
        }
        Instant from = window.openedAt();
        // Sightings answer over closed ranges; the last instant before the expiry makes this one half-open.
        Instant to = window.expiresAt().minusNanos(1);
        Instant first = Times.min(
                window.firstReplyAt() != null && window.contains(window.firstReplyAt()) ? window.firstReplyAt() : null,
                state.recentReplies().earliestIn(from, to));
        Instant last = Times.max(
                window.lastReplyAt() != null && window.contains(window.lastReplyAt()) ? window.lastReplyAt() : null,
                state.recentReplies().latestIn(from, to));
        Instant waitingFrom = last == null ? from : Times.max(from, last.plusNanos(1));
        Instant known = window.waitingSince() != null
                        && !window.waitingSince().isBefore(waitingFrom)
                        && !window.waitingSince().isAfter(to)
                ? window.waitingSince()
                : null;
        Instant waiting = Times.min(known, state.recentInbound().earliestIn(waitingFrom, to));
        return state.withWindow(window.withReplies(first, last, waiting));
    }

    /** {@code next}, with its last event time moved to {@code at} if anything changed; else ignored for a reason. */
    private static Transition touched(ContactState stored, ContactState next, Instant at, IgnoreReason otherwise) {
        if (next.equals(stored)) {
            return Transition.ignored(stored, otherwise);
        }
        return new Transition(stored, next.withTotals(next.totals().withLastEventAt(at)), List.of(), null, null);
    }
}
