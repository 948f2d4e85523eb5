package io.janela.window.tracking;

import io.janela.window.rules.ContactState;
import io.janela.window.rules.ContactState.Fep;
import io.janela.window.rules.ContactState.Identity;
import io.janela.window.rules.ContactState.Totals;
import io.janela.window.rules.ContactState.Window;
import io.janela.window.rules.Sightings;
import io.janela.window.tracking.avro.Sighting;
import io.janela.window.tracking.avro.StoredContact;
import io.janela.window.tracking.avro.StoredFep;
import io.janela.window.tracking.avro.StoredWindow;
import java.time.Duration;
import java.util.List;

/** Between the rules' immutable {@link ContactState} and the store's Avro {@link StoredContact}. */
public final class ContactStateCodec {

    private ContactStateCodec() {}

    public static ContactState decode(StoredContact stored) {
        if (stored == null) {
            return null;
        }
        return new ContactState(
                new Identity(
                        stored.getPhoneNumberId(),
                        stored.getContactId(),
                        stored.getUserId(),
                        stored.getWaId(),
                        stored.getWaIdSeenAt(),
                        stored.getAliasWaId(),
                        stored.getAliasSeenAt()),
                decode(stored.getWindow()),
                decode(stored.getFep()),
                new Totals(
                        stored.getWindowsOpened(),
                        stored.getInboundMessages(),
                        stored.getPreviousWindowClosedAt(),
                        stored.getLastInboundAt(),
                        stored.getMetaClosedAt(),
                        stored.getLastEventAt()),
                decode(stored.getRecentInbound()),
                decode(stored.getRecentReplies()));
    }

    /** All-args constructors, not builders: builders deep-copy a default for every field, per record. */
    static StoredContact encode(ContactState state) {
        Identity identity = state.identity();
        Totals totals = state.totals();
        return new StoredContact(
                identity.phoneNumberId(),
                identity.contactId(),
                identity.userId(),
                identity.waId(),
                identity.waIdSeenAt(),
                identity.aliasWaId(),
                identity.aliasSeenAt(),
                encode(state.window()),
                encode(state.fep()),
                totals.windowsOpened(),
                totals.inboundMessages(),
                totals.previousWindowClosedAt(),
                totals.lastInboundAt(),
                totals.metaClosedAt(),
                totals.lastEventAt(),
                encode(state.recentInbound()),
                encode(state.recentReplies()));
    }

    private static Window decode(StoredWindow window) {
        if (window == null) {
            return null;
        }
        return new Window(
                window.getOpen(),
                window.getOpenedAt(),
                window.getOpeningMessageId(),
                window.getViaReferral(),
                window.getExpiresAt(),
                window.getClosedAt(),
                window.getClosedByMeta(),
                window.getFirstReplyAt(),
                window.getLastReplyAt(),
                window.getWaitingSince(),
                window.getPendingLeadMillis().stream().map(Duration::ofMillis).toList());
    }

    private static StoredWindow encode(Window window) {
        if (window == null) {
            return null;
        }
        return new StoredWindow(
                window.open(),
                window.openedAt(),
                window.openingMessageId(),
                window.viaReferral(),
                window.expiresAt(),
                window.closedAt(),
                window.closedByMeta(),
                window.firstReplyAt(),
                window.lastReplyAt(),
                window.waitingSince(),
                window.pendingLeads().stream().map(Duration::toMillis).toList());
    }

    private static Fep decode(StoredFep fep) {
        if (fep == null) {
            return null;
        }
        return new Fep(
                fep.getEligibleFrom(),
                fep.getEligibleUntil(),
                fep.getOpenedAt(),
                fep.getExpiresAt(),
                fep.getConfirmed());
    }

    private static StoredFep encode(Fep fep) {
        if (fep == null) {
            return null;
        }
        return new StoredFep(fep.eligibleFrom(), fep.eligibleUntil(), fep.openedAt(), fep.expiresAt(), fep.confirmed());
    }

    private static Sightings decode(List<Sighting> items) {
        if (items.isEmpty()) {
            return Sightings.EMPTY;
        }
        return new Sightings(items.stream()
                .map(item -> new Sightings.Sighting(item.getIdHash(), item.getAt()))
                .toList());
    }

    private static List<Sighting> encode(Sightings sightings) {
        return sightings.items().stream()
                .map(item -> new Sighting(item.idHash(), item.at()))
                .toList();
    }
}
