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
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificData;

/**
 * Between the rules' immutable {@link ContactState} and the store's Avro {@link StoredContact}. The store is written
 * on every record, so: all-args constructors rather than builders (which validate and deep-copy a default per unset
 * field), and Avro's generated custom coders, which skip the generic schema walk (they exist because the schema has
 * no logical types; they are switched on for this class only).
 */
public final class ContactStateCodec {

    static {
        SpecificData.getForClass(StoredContact.class).setCustomCoders(true);
    }

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
                        instant(stored.getWaIdSeenAt()),
                        stored.getAliasWaId(),
                        instant(stored.getAliasSeenAt())),
                decode(stored.getWindow()),
                decode(stored.getFep()),
                new Totals(
                        stored.getWindowsOpened(),
                        stored.getInboundMessages(),
                        instant(stored.getPreviousWindowClosedAt()),
                        instant(stored.getLastInboundAt()),
                        instant(stored.getMetaClosedAt()),
                        instant(stored.getLastEventAt()),
                        instant(stored.getLastCallAt())),
                decode(stored.getRecentInbound()),
                decode(stored.getRecentReplies()),
                decode(stored.getRecentCalls()));
    }

    static StoredContact encode(ContactState state) {
        Identity identity = state.identity();
        Totals totals = state.totals();
        return new StoredContact(
                identity.phoneNumberId(),
                identity.contactId(),
                identity.userId(),
                identity.waId(),
                millis(identity.waIdSeenAt()),
                identity.aliasWaId(),
                millis(identity.aliasSeenAt()),
                encode(state.window()),
                encode(state.fep()),
                totals.windowsOpened(),
                totals.inboundMessages(),
                millis(totals.previousWindowClosedAt()),
                millis(totals.lastInboundAt()),
                millis(totals.metaClosedAt()),
                millis(totals.lastEventAt()),
                encode(state.recentInbound()),
                encode(state.recentReplies()),
                millis(totals.lastCallAt()),
                encode(state.recentCalls()));
    }

    private static Window decode(StoredWindow window) {
        if (window == null) {
            return null;
        }
        return new Window(
                window.getOpen(),
                Instant.ofEpochMilli(window.getOpenedAt()),
                window.getOpeningMessageId(),
                window.getViaReferral(),
                window.getOpenedByCall(),
                Instant.ofEpochMilli(window.getExpiresAt()),
                instant(window.getClosedAt()),
                window.getClosedByMeta(),
                instant(window.getFirstReplyAt()),
                instant(window.getLastReplyAt()),
                instant(window.getWaitingSince()),
                window.getPendingLeadMillis().stream().map(Duration::ofMillis).toList());
    }

    private static StoredWindow encode(Window window) {
        if (window == null) {
            return null;
        }
        return new StoredWindow(
                window.open(),
                window.openedAt().toEpochMilli(),
                window.openingMessageId(),
                window.viaReferral(),
                window.expiresAt().toEpochMilli(),
                millis(window.closedAt()),
                window.closedByMeta(),
                millis(window.firstReplyAt()),
                millis(window.lastReplyAt()),
                millis(window.waitingSince()),
                window.pendingLeads().stream().map(Duration::toMillis).toList(),
                window.openedByCall());
    }

    private static Fep decode(StoredFep fep) {
        if (fep == null) {
            return null;
        }
        return new Fep(
                instant(fep.getEligibleFrom()),
                instant(fep.getEligibleUntil()),
                instant(fep.getOpenedAt()),
                instant(fep.getExpiresAt()),
                fep.getConfirmed());
    }

    private static StoredFep encode(Fep fep) {
        if (fep == null) {
            return null;
        }
        return new StoredFep(
                millis(fep.eligibleFrom()),
                millis(fep.eligibleUntil()),
                millis(fep.openedAt()),
                millis(fep.expiresAt()),
                fep.confirmed());
    }

    private static Sightings decode(List<Sighting> items) {
        if (items.isEmpty()) {
            return Sightings.EMPTY;
        }
        return new Sightings(items.stream()
                .map(item -> new Sightings.Sighting(item.getIdHash(), Instant.ofEpochMilli(item.getAt())))
                .toList());
    }

    private static List<Sighting> encode(Sightings sightings) {
        return sightings.items().stream()
                .map(item -> new Sighting(item.idHash(), item.at().toEpochMilli()))
                .toList();
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static Long millis(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }
}
