package io.janela.window.tracking;

import io.janela.avro.CloseReason;
import io.janela.avro.ContactAlias;
import io.janela.avro.ContactWindow;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.avro.WindowOpener;
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
     * exact expiry or Meta's refusal, the late act), never the punctuation's.
     */
    static WindowEvent event(ContactState state, WindowChange change) {
        Window window = change.window();
        String contactKey = state.key().format();
        long openedAt = window.openedAt().toEpochMilli();
        // All-args constructors, not builders: builders validate and deep-copy a default for every field left unset,
        // per record.
        return switch (change) {
            case WindowChange.Opened opened ->
                event(
                        state,
                        window,
                        change,
                        contactKey + ":OPENED:" + openedAt,
                        WindowEventType.OPENED,
                        window.openedAt(),
                        opened.firstContact(),
                        opened.previousWindowClosedAt(),
                        null,
                        null,
                        null);
            case WindowChange.ClosingSoon soon ->
                event(
                        state,
                        window,
                        change,
                        // The expiry too: a refresh moves it, and the window warns again for the new one.
                        contactKey + ":CLOSING_SOON:" + openedAt + ":"
                                + soon.lead().toMillis() + ":"
                                + window.expiresAt().toEpochMilli(),
                        WindowEventType.CLOSING_SOON,
                        window.expiresAt().minus(soon.lead()),
                        false,
                        null,
                        soon.lead().toMillis(),
                        window.waitingSince(),
                        null);
            case WindowChange.Closed closed ->
                event(
                        state,
                        window,
                        change,
                        contactKey + ":CLOSED:" + openedAt,
                        WindowEventType.CLOSED,
                        window.closedAt(),
                        false,
                        null,
                        null,
                        window.waitingSince(),
                        closeReason(window));
            case WindowChange.Late late ->
                event(
                        state,
                        window,
                        change,
                        contactKey + ":LATE:" + openedAt,
                        WindowEventType.LATE,
                        window.openedAt(),
                        late.firstContact(),
                        late.previousWindowClosedAt(),
                        null,
                        null,
                        null);
        };
    }

    private static WindowEvent event(
            ContactState state,
            Window window,
            WindowChange change,
            String eventId,
            WindowEventType type,
            Instant occurredAt,
            boolean firstContact,
            Instant previousWindowClosedAt,
            Long leadTimeMillis,
            Instant waitingSince,
            CloseReason closeReason) {
        return new WindowEvent(
                eventId,
                type,
                state.identity().phoneNumberId(),
                state.identity().contactId(),
                state.identity().waId(),
                occurredAt,
                window.openedAt(),
                window.expiresAt(),
                window.openingMessageId(),
                firstContact,
                previousWindowClosedAt,
                window.viaReferral(),
                leadTimeMillis,
                window.businessReplied(),
                window.firstReplyAt(),
                change.lastInboundAt(),
                waitingSince,
                closeReason,
                opener(window));
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
        return new ContactWindow(
                identity.phoneNumberId(),
                identity.contactId(),
                identity.userId(),
                identity.waId(),
                window.open() ? WindowStatus.OPEN : WindowStatus.CLOSED,
                totals.lastInboundAt(),
                window.openedAt(),
                window.openingMessageId(),
                window.expiresAt(),
                window.closedAt(),
                window.open() ? null : closeReason(window),
                window.firstReplyAt(),
                window.lastReplyAt(),
                window.waitingSince(),
                fep == null ? null : fep.eligibleUntil(),
                fep == null ? null : fep.expiresAt(),
                fep != null && fep.confirmed(),
                totals.windowsOpened(),
                totals.inboundMessages(),
                totals.previousWindowClosedAt(),
                totals.lastEventAt(),
                opener(window),
                totals.lastCallAt());
    }

    static ContactAlias alias(AliasPublication alias) {
        return new ContactAlias(alias.phoneNumberId(), alias.waId(), alias.contactId(), alias.seenAt());
    }

    private static WindowOpener opener(Window window) {
        return window.openedByCall() ? WindowOpener.CALL : WindowOpener.MESSAGE;
    }

    private static CloseReason closeReason(Window window) {
        return window.closedByMeta() ? CloseReason.CLOSED_BY_META : CloseReason.EXPIRED;
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
