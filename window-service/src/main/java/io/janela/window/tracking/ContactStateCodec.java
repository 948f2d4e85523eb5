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

    static StoredContact encode(ContactState state) {
        Identity identity = state.identity();
        Totals totals = state.totals();
        return StoredContact.newBuilder()
                .setPhoneNumberId(identity.phoneNumberId())
                .setContactId(identity.contactId())
                .setUserId(identity.userId())
                .setWaId(identity.waId())
                .setWaIdSeenAt(identity.waIdSeenAt())
                .setAliasWaId(identity.aliasWaId())
                .setAliasSeenAt(identity.aliasSeenAt())
                .setWindow(encode(state.window()))
                .setFep(encode(state.fep()))
                .setWindowsOpened(totals.windowsOpened())
                .setInboundMessages(totals.inboundMessages())
                .setPreviousWindowClosedAt(totals.previousWindowClosedAt())
                .setLastInboundAt(totals.lastInboundAt())
                .setMetaClosedAt(totals.metaClosedAt())
                .setLastEventAt(totals.lastEventAt())
                .setRecentInbound(encode(state.recentInbound()))
                .setRecentReplies(encode(state.recentReplies()))
                .build();
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
        return StoredWindow.newBuilder()
                .setOpen(window.open())
                .setOpenedAt(window.openedAt())
                .setOpeningMessageId(window.openingMessageId())
                .setViaReferral(window.viaReferral())
                .setExpiresAt(window.expiresAt())
                .setClosedAt(window.closedAt())
                .setClosedByMeta(window.closedByMeta())
                .setFirstReplyAt(window.firstReplyAt())
                .setLastReplyAt(window.lastReplyAt())
                .setWaitingSince(window.waitingSince())
                .setPendingLeadMillis(
                        window.pendingLeads().stream().map(Duration::toMillis).toList())
                .build();
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
        return StoredFep.newBuilder()
                .setEligibleFrom(fep.eligibleFrom())
                .setEligibleUntil(fep.eligibleUntil())
                .setOpenedAt(fep.openedAt())
                .setExpiresAt(fep.expiresAt())
                .setConfirmed(fep.confirmed())
                .build();
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
