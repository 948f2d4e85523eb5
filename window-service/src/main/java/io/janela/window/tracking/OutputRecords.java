package io.janela.window.tracking;

import io.janela.avro.CloseReason;
import io.janela.avro.ContactAlias;
import io.janela.avro.ContactWindow;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.avro.WindowStatus;
import io.janela.contract.ContactKey;
import io.janela.window.rules.AliasPublication;
import io.janela.window.rules.ContactState;
import io.janela.window.rules.ContactState.Window;
import io.janela.window.rules.WindowChange;
import java.time.Instant;

/** The contract records the window-service publishes, made from the rules' state and changes. */
final class OutputRecords {

    private OutputRecords() {}

    /**
     * The event of a change. Its id is deterministic ({@code {contactKey}:{type}:{windowOpenedAt}[:{lead}]}) so that
     * consumers can drop the duplicates a reprocessing might bring; its time is Meta's time (the opening message, the
     * exact expiry or Meta's refusal), never the punctuation's.
     */
    static WindowEvent event(ContactState state, WindowChange change) {
        Window window = change.window();
        String contactKey = state.key().format();
        WindowEvent.Builder event = WindowEvent.newBuilder()
                .setPhoneNumberId(state.identity().phoneNumberId())
                .setContactId(state.identity().contactId())
                .setWaId(state.identity().waId())
                .setWindowOpenedAt(window.openedAt())
                .setWindowExpiresAt(window.expiresAt())
                .setOpeningMessageId(window.openingMessageId())
                .setViaReferral(window.viaReferral())
                .setBusinessReplied(window.businessReplied())
                .setFirstReplyAt(window.firstReplyAt())
                .setLastInboundAt(change.lastInboundAt());
        long openedAt = window.openedAt().toEpochMilli();
        return switch (change) {
            case WindowChange.Opened opened ->
                event.setEventId(contactKey + ":OPENED:" + openedAt)
                        .setType(WindowEventType.OPENED)
                        .setOccurredAt(window.openedAt())
                        .setFirstContact(opened.firstContact())
                        .setPreviousWindowClosedAt(opened.previousWindowClosedAt())
                        .build();
            case WindowChange.ClosingSoon soon ->
                event.setEventId(contactKey + ":CLOSING_SOON:" + openedAt + ":"
                                + soon.lead().toMillis())
                        .setType(WindowEventType.CLOSING_SOON)
                        .setOccurredAt(window.expiresAt().minus(soon.lead()))
                        .setLeadTimeMillis(soon.lead().toMillis())
                        .setWaitingSince(window.waitingSince())
                        .build();
            case WindowChange.Closed closed ->
                event.setEventId(contactKey + ":CLOSED:" + openedAt)
                        .setType(WindowEventType.CLOSED)
                        .setOccurredAt(window.closedAt())
                        .setWaitingSince(window.waitingSince())
                        .setCloseReason(window.closedByMeta() ? CloseReason.CLOSED_BY_META : CloseReason.EXPIRED)
                        .build();
        };
    }

    /** The public view of a contact's state (whatsapp.window-state); null while it has had no window. */
    static ContactWindow window(ContactState state) {
        Window window = state == null ? null : state.window();
        if (window == null) {
            return null;
        }
        ContactState.Identity identity = state.identity();
        ContactState.Totals totals = state.totals();
        ContactState.Fep fep = state.fep();
        return ContactWindow.newBuilder()
                .setPhoneNumberId(identity.phoneNumberId())
                .setContactId(identity.contactId())
                .setUserId(identity.userId())
                .setWaId(identity.waId())
                .setStatus(window.open() ? WindowStatus.OPEN : WindowStatus.CLOSED)
                .setLastInboundAt(totals.lastInboundAt())
                .setOpenedAt(window.openedAt())
                .setOpeningMessageId(window.openingMessageId())
                .setExpiresAt(window.expiresAt())
                .setClosedAt(window.closedAt())
                .setCloseReason(
                        window.open() ? null : window.closedByMeta() ? CloseReason.CLOSED_BY_META : CloseReason.EXPIRED)
                .setFirstReplyAt(window.firstReplyAt())
                .setLastReplyAt(window.lastReplyAt())
                .setWaitingSince(window.waitingSince())
                .setFepEligibleUntil(fep == null ? null : fep.eligibleUntil())
                .setFepExpiresAt(fep == null ? null : fep.expiresAt())
                .setFepConfirmed(fep != null && fep.confirmed())
                .setWindowsOpened(totals.windowsOpened())
                .setInboundMessages(totals.inboundMessages())
                .setPreviousWindowClosedAt(totals.previousWindowClosedAt())
                .setLastEventAt(totals.lastEventAt())
                .build();
    }

    static ContactAlias alias(AliasPublication alias) {
        return ContactAlias.newBuilder()
                .setPhoneNumberId(alias.phoneNumberId())
                .setWaId(alias.waId())
                .setContactId(alias.contactId())
                .setSeenAt(alias.seenAt())
                .build();
    }

    static String aliasKey(AliasPublication alias) {
        return new ContactKey(alias.phoneNumberId(), alias.waId()).format();
    }

    /** The time a window-state record carries: the latest event time it reflects. */
    static long stateTimestamp(ContactWindow window, long fallback) {
        Instant at = window.getLastEventAt();
        return at == null ? fallback : at.toEpochMilli();
    }
}
