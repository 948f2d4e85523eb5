package io.janela.metrics.conversation;

import io.janela.avro.CloseReason;
import io.janela.avro.ResponderKind;
import io.janela.metrics.state.BusinessMessageEntry;
import io.janela.metrics.state.ClosingEntry;
import io.janela.metrics.state.ConversationState;
import io.janela.metrics.state.CustomerMessageEntry;
import io.janela.metrics.state.OpeningEntry;
import io.janela.metrics.state.ResponseEntry;
import io.janela.metrics.state.WindowEntry;

/** Maps a {@link Conversation} and its scheduling to the stored Avro record and back. */
final class ConversationCodec {

    /** A conversation with what the processor schedules for it (processing times, ms). */
    record Stored(Conversation conversation, Long checkAt, long lastChangedAt, Long evictCheckAt) {}

    private ConversationCodec() {}

    static Stored decode(ConversationState state) {
        Conversation conversation = new Conversation(
                state.getPhoneNumberId(),
                state.getContactId(),
                state.getCustomerMessages().stream()
                        .map(entry -> new CustomerMessage(entry.getMessageId(), entry.getAt(), entry.getArrivedAt()))
                        .toList(),
                state.getBusinessMessages().stream()
                        .map(entry -> new BusinessMessage(
                                entry.getMessageId(),
                                entry.getAt(),
                                ResponderKind.valueOf(entry.getResponderKind()),
                                entry.getArrivedAt()))
                        .toList(),
                state.getWindows().stream().map(ConversationCodec::window).toList(),
                state.getResponses().stream()
                        .map(entry -> new EmittedResponse(
                                entry.getBusinessMessageId(),
                                entry.getFrom(),
                                entry.getTo(),
                                entry.getSignature(),
                                entry.getSuppressed()))
                        .toList(),
                state.getPrunedUntil());
        return new Stored(conversation, state.getCheckAt(), state.getLastChangedAt(), state.getEvictCheckAt());
    }

    static ConversationState encode(Stored stored) {
        Conversation conversation = stored.conversation();
        return ConversationState.newBuilder()
                .setPhoneNumberId(conversation.phoneNumberId())
                .setContactId(conversation.contactId())
                .setCustomerMessages(conversation.customers().stream()
                        .map(message ->
                                new CustomerMessageEntry(message.messageId(), message.at(), message.arrivedAt()))
                        .toList())
                .setBusinessMessages(conversation.business().stream()
                        .map(message -> new BusinessMessageEntry(
                                message.messageId(),
                                message.at(),
                                message.arrivedAt(),
                                message.responderKind().name()))
                        .toList())
                .setWindows(conversation.windows().stream()
                        .map(ConversationCodec::entry)
                        .toList())
                .setResponses(conversation.responses().stream()
                        .map(response -> new ResponseEntry(
                                response.businessMessageId(),
                                response.from(),
                                response.to(),
                                response.signature(),
                                response.suppressed()))
                        .toList())
                .setPrunedUntil(conversation.prunedUntil())
                .setCheckAt(stored.checkAt())
                .setLastChangedAt(stored.lastChangedAt())
                .setEvictCheckAt(stored.evictCheckAt())
                .build();
    }

    private static Window window(WindowEntry entry) {
        OpeningEntry opening = entry.getOpening();
        ClosingEntry closing = entry.getClosing();
        return new Window(
                entry.getOpenedAt(),
                entry.getInitialExpiresAt(),
                opening == null
                        ? null
                        : new Window.Opening(
                                opening.getOpeningMessageId(),
                                opening.getFirstContact(),
                                opening.getPreviousWindowClosedAt(),
                                opening.getViaReferral(),
                                opening.getArrivedAt()),
                closing == null
                        ? null
                        : new Window.Closing(
                                closing.getClosedAt(),
                                CloseReason.valueOf(closing.getReason()),
                                closing.getReportedReplied(),
                                closing.getReportedWaitingSince(),
                                closing.getArrivedAt()),
                new Window.Emitted(
                        entry.getOpenedEmitted(),
                        entry.getFirstResponseAt(),
                        entry.getFirstResponseSignature(),
                        entry.getClosedEmitted(),
                        entry.getClosedSignature()));
    }

    private static WindowEntry entry(Window window) {
        Window.Opening opening = window.opening();
        Window.Closing closing = window.closing();
        return WindowEntry.newBuilder()
                .setOpenedAt(window.openedAt())
                .setInitialExpiresAt(window.initialExpiresAt())
                .setOpening(
                        opening == null
                                ? null
                                : new OpeningEntry(
                                        opening.openingMessageId(),
                                        opening.firstContact(),
                                        opening.previousWindowClosedAt(),
                                        opening.viaReferral(),
                                        opening.arrivedAt()))
                .setClosing(
                        closing == null
                                ? null
                                : new ClosingEntry(
                                        closing.closedAt(),
                                        closing.reason().name(),
                                        closing.reportedReplied(),
                                        closing.reportedWaitingSince(),
                                        closing.arrivedAt()))
                .setOpenedEmitted(window.emitted().opened())
                .setFirstResponseAt(window.emitted().firstResponseAt())
                .setFirstResponseSignature(window.emitted().firstResponseSignature())
                .setClosedEmitted(window.emitted().closed())
                .setClosedSignature(window.emitted().closedSignature())
                .build();
    }
}
