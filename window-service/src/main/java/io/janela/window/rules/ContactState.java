package io.janela.window.rules;

import io.janela.contract.ContactKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the window rules know about one contact of one business phone number. Immutable: every rule returns a
 * new state. All times are Meta's event times, except where a field says otherwise.
 *
 * @param identity who the contact is, and which phone number was last published as its alias
 * @param window the current (or last) customer service window; null until the contact first writes
 * @param fep free entry point eligibility and window; null until a click-to-WhatsApp entry or a confirmation
 * @param totals counters and contact-level times that outlive windows
 * @param recentInbound qualifying customer messages of the last window length (duplicate detection, waiting time)
 * @param recentReplies business messages of the last window length (replies that arrive before their window)
 * @param recentCalls calls that opened or refreshed a window in the last window length (duplicate detection)
 */
public record ContactState(
        Identity identity,
        Window window,
        Fep fep,
        Totals totals,
        Sightings recentInbound,
        Sightings recentReplies,
        Sightings recentCalls) {

    public ContactState {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(totals, "totals");
        Objects.requireNonNull(recentInbound, "recentInbound");
        Objects.requireNonNull(recentReplies, "recentReplies");
        Objects.requireNonNull(recentCalls, "recentCalls");
    }

    /** A contact the service has never seen. */
    public static ContactState unknown(ContactKey key) {
        return new ContactState(
                new Identity(key.phoneNumberId(), key.contactId(), null, null, null, null, null),
                null,
                null,
                Totals.NONE,
                Sightings.EMPTY,
                Sightings.EMPTY,
                Sightings.EMPTY);
    }

    public ContactKey key() {
        return new ContactKey(identity.phoneNumberId(), identity.contactId());
    }

    /** True when the window is open as far as the service has processed: the punctuator may still close it. */
    public boolean isOpen() {
        return window != null && window.open();
    }

    ContactState withIdentity(Identity value) {
        return new ContactState(value, window, fep, totals, recentInbound, recentReplies, recentCalls);
    }

    ContactState withWindow(Window value) {
        return new ContactState(identity, value, fep, totals, recentInbound, recentReplies, recentCalls);
    }

    ContactState withFep(Fep value) {
        return new ContactState(identity, window, value, totals, recentInbound, recentReplies, recentCalls);
    }

    ContactState withTotals(Totals value) {
        return new ContactState(identity, window, fep, value, recentInbound, recentReplies, recentCalls);
    }

    ContactState withRecentInbound(Sightings value) {
        return new ContactState(identity, window, fep, totals, value, recentReplies, recentCalls);
    }

    ContactState withRecentReplies(Sightings value) {
        return new ContactState(identity, window, fep, totals, recentInbound, value, recentCalls);
    }

    ContactState withRecentCalls(Sightings value) {
        return new ContactState(identity, window, fep, totals, recentInbound, recentReplies, value);
    }

    /**
     * @param userId the business-scoped user id, when Meta sent one
     * @param waId the phone number (wa_id) last seen for this contact
     * @param waIdSeenAt Meta time of the latest record that carried {@code waId}
     * @param aliasWaId the wa_id last published to whatsapp.contact-aliases
     * @param aliasSeenAt the seenAt of that publication
     */
    public record Identity(
            String phoneNumberId,
            String contactId,
            String userId,
            String waId,
            Instant waIdSeenAt,
            String aliasWaId,
            Instant aliasSeenAt) {}

    /**
     * A customer service window.
     *
     * @param open false once closed, by expiry (the punctuator) or by Meta (131047)
     * @param openedAt Meta time of the earliest message (or call) of this window
     * @param openingMessageId the id of that message, or of that call ({@code wacid.…})
     * @param openedByCall a call, not a message, opened it (a user's call, or a business call the user accepted)
     * @param expiresAt max(message time + window length) over its messages; Meta's close time when Meta closed it
     * @param closedAt when it closed (its expiry, or Meta's refusal); null while open
     * @param firstReplyAt first business message sent within [openedAt, expiresAt]
     * @param lastReplyAt last business message sent within [openedAt, expiresAt]
     * @param waitingSince first customer message after the last reply; null when nobody waits
     * @param pendingLeads closing-soon lead times not yet fired for this expiry
     */
    public record Window(
            boolean open,
            Instant openedAt,
            String openingMessageId,
            boolean viaReferral,
            boolean openedByCall,
            Instant expiresAt,
            Instant closedAt,
            boolean closedByMeta,
            Instant firstReplyAt,
            Instant lastReplyAt,
            Instant waitingSince,
            List<Duration> pendingLeads) {

        public Window {
            Objects.requireNonNull(openedAt, "openedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
            pendingLeads = List.copyOf(pendingLeads);
        }

        public boolean businessReplied() {
            return firstReplyAt != null;
        }

        /** Whether a business message sent at this time belongs to this window: open from its opening to its expiry. */
        boolean contains(Instant at) {
            return !at.isBefore(openedAt) && at.isBefore(expiresAt);
        }

        Window closed(Instant at, boolean byMeta) {
            return new Window(
                    false,
                    openedAt,
                    openingMessageId,
                    viaReferral,
                    openedByCall,
                    byMeta ? at : expiresAt,
                    at,
                    byMeta,
                    firstReplyAt,
                    lastReplyAt,
                    waitingSince,
                    List.of());
        }

        Window withPendingLeads(List<Duration> leads) {
            return new Window(
                    open,
                    openedAt,
                    openingMessageId,
                    viaReferral,
                    openedByCall,
                    expiresAt,
                    closedAt,
                    closedByMeta,
                    firstReplyAt,
                    lastReplyAt,
                    waitingSince,
                    leads);
        }

        Window withReplies(Instant first, Instant last, Instant waiting) {
            return new Window(
                    open,
                    openedAt,
                    openingMessageId,
                    viaReferral,
                    openedByCall,
                    expiresAt,
                    closedAt,
                    closedByMeta,
                    first,
                    last,
                    waiting,
                    pendingLeads);
        }
    }

    /**
     * Free entry point state. Eligibility comes from click-to-WhatsApp messages; the window opens with the first
     * business reply in that time ({@code openedAt}) and lasts the FEP length (predicted) until a status webhook
     * confirms Meta's own expiry.
     */
    public record Fep(
            Instant eligibleFrom, Instant eligibleUntil, Instant openedAt, Instant expiresAt, boolean confirmed) {}

    /**
     * @param windowsOpened windows opened so far
     * @param inboundMessages qualifying customer messages, each message id counted once
     * @param previousWindowClosedAt when the window before the current one closed
     * @param lastInboundAt latest qualifying customer message
     * @param metaClosedAt latest time Meta refused a free-form send with 131047
     * @param lastEventAt event time of the latest record that changed this state
     * @param lastCallAt latest call that opened or refreshed a window
     */
    public record Totals(
            long windowsOpened,
            long inboundMessages,
            Instant previousWindowClosedAt,
            Instant lastInboundAt,
            Instant metaClosedAt,
            Instant lastEventAt,
            Instant lastCallAt) {

        static final Totals NONE = new Totals(0, 0, null, null, null, null, null);

        /** The latest customer act that kept a window open: a qualifying message or a call. */
        Instant lastCustomerActAt() {
            return Times.max(lastInboundAt, lastCallAt);
        }

        Totals withLastEventAt(Instant at) {
            return new Totals(
                    windowsOpened,
                    inboundMessages,
                    previousWindowClosedAt,
                    lastInboundAt,
                    metaClosedAt,
                    Times.max(lastEventAt, at),
                    lastCallAt);
        }
    }
}
