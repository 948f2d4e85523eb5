package io.janela.metrics.conversation;

import static io.janela.metrics.streams.StoredTimes.instant;
import static io.janela.metrics.streams.StoredTimes.instantOrNull;
import static io.janela.metrics.streams.StoredTimes.millis;
import static io.janela.metrics.streams.StoredTimes.millisOrNull;

import io.janela.avro.CloseReason;
import io.janela.avro.ResponderKind;
import io.janela.metrics.state.BusinessMessageEntry;
import io.janela.metrics.state.ClosingEntry;
import io.janela.metrics.state.ConversationState;
import io.janela.metrics.state.CustomerMessageEntry;
import io.janela.metrics.state.LateActEntry;
import io.janela.metrics.state.OpeningEntry;
import io.janela.metrics.state.ResolutionEntry;
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
                        .map(entry ->
                                new CustomerMessage(entry.getMessageId(), instant(entry.getAt()), entry.getArrivedAt()))
                        .toList(),
                state.getBusinessMessages().stream()
                        .map(entry -> new BusinessMessage(
                                entry.getMessageId(),
                                instant(entry.getAt()),
                                ResponderKind.valueOf(entry.getResponderKind()),
                                entry.getArrivedAt(),
                                entry.getTeam(),
                                entry.getAgentId()))
                        .toList(),
                state.getWindows().stream().map(ConversationCodec::window).toList(),
                state.getResponses().stream()
                        .map(entry -> new EmittedResponse(
                                entry.getBusinessMessageId(),
                                instant(entry.getFrom()),
                                instant(entry.getTo()),
                                entry.getSignature(),
                                entry.getSuppressed()))
                        .toList(),
                instantOrNull(state.getPrunedUntil()));
        conversation.slaNotices(state.getSlaNotices());
        conversation.surveyAnswers(state.getSurveyAnswers().stream()
                .map(entry -> new CustomerMessage(entry.getMessageId(), instant(entry.getAt()), entry.getArrivedAt()))
                .toList());
        conversation.resolutions(state.getResolutions().stream()
                .map(entry -> new Resolution(
                        instant(entry.getResolvedAt()),
                        entry.getResolutionId(),
                        entry.getTeam(),
                        entry.getEmitted(),
                        entry.getArrivedAt()))
                .toList());
        conversation.lateActs(state.getLateActs().stream()
                .map(entry ->
                        new LateAct(instant(entry.getAt()), instant(entry.getExpiresAt()), opening(entry.getOpening())))
                .toList());
        return new Stored(conversation, state.getCheckAt(), state.getLastChangedAt(), state.getEvictCheckAt());
    }

    static ConversationState encode(Stored stored) {
        Conversation conversation = stored.conversation();
        return ConversationState.newBuilder()
                .setPhoneNumberId(conversation.phoneNumberId())
                .setContactId(conversation.contactId())
                .setCustomerMessages(conversation.customers().stream()
                        .map(message -> new CustomerMessageEntry(
                                message.messageId(), millis(message.at()), message.arrivedAt()))
                        .toList())
                .setBusinessMessages(conversation.business().stream()
                        .map(message -> new BusinessMessageEntry(
                                message.messageId(),
                                millis(message.at()),
                                message.arrivedAt(),
                                message.responderKind().name(),
                                message.team(),
                                message.agentId()))
                        .toList())
                .setWindows(conversation.windows().stream()
                        .map(ConversationCodec::entry)
                        .toList())
                .setResponses(conversation.responses().stream()
                        .map(response -> new ResponseEntry(
                                response.businessMessageId(),
                                millis(response.from()),
                                millis(response.to()),
                                response.signature(),
                                response.suppressed()))
                        .toList())
                .setPrunedUntil(millisOrNull(conversation.prunedUntil()))
                .setSurveyAnswers(conversation.surveyAnswers().stream()
                        .map(answer ->
                                new CustomerMessageEntry(answer.messageId(), millis(answer.at()), answer.arrivedAt()))
                        .toList())
                .setSlaNotices(conversation.slaNotices())
                .setResolutions(conversation.resolutions().stream()
                        .map(resolution -> new ResolutionEntry(
                                millis(resolution.resolvedAt()),
                                resolution.resolutionId(),
                                resolution.team(),
                                resolution.emitted(),
                                resolution.arrivedAt()))
                        .toList())
                .setLateActs(conversation.lateActs().stream()
                        .map(act -> new LateActEntry(
                                millis(act.at()), millis(act.expiresAt()), openingEntry(act.opening())))
                        .toList())
                .setCheckAt(stored.checkAt())
                .setLastChangedAt(stored.lastChangedAt())
                .setEvictCheckAt(stored.evictCheckAt())
                .build();
    }

    private static Window window(WindowEntry entry) {
        OpeningEntry opening = entry.getOpening();
        ClosingEntry closing = entry.getClosing();
        return new Window(
                instant(entry.getOpenedAt()),
                instant(entry.getInitialExpiresAt()),
                opening == null ? null : opening(opening),
                closing == null
                        ? null
                        : new Window.Closing(
                                instant(closing.getClosedAt()),
                                CloseReason.valueOf(closing.getReason()),
                                closing.getReportedReplied(),
                                instantOrNull(closing.getReportedWaitingSince()),
                                closing.getArrivedAt()),
                new Window.Emitted(
                        entry.getOpenedEmitted(),
                        instantOrNull(entry.getFirstResponseAt()),
                        entry.getFirstResponseSignature(),
                        entry.getClosedEmitted(),
                        entry.getClosedSignature()),
                entry.getLate());
    }

    private static Window.Opening opening(OpeningEntry opening) {
        return new Window.Opening(
                opening.getOpeningMessageId(),
                opening.getFirstContact(),
                instantOrNull(opening.getPreviousWindowClosedAt()),
                opening.getViaReferral(),
                opening.getArrivedAt());
    }

    private static OpeningEntry openingEntry(Window.Opening opening) {
        return new OpeningEntry(
                opening.openingMessageId(),
                opening.firstContact(),
                millisOrNull(opening.previousWindowClosedAt()),
                opening.viaReferral(),
                opening.arrivedAt());
    }

    private static WindowEntry entry(Window window) {
        Window.Opening opening = window.opening();
        Window.Closing closing = window.closing();
        return WindowEntry.newBuilder()
                .setOpenedAt(millis(window.openedAt()))
                .setInitialExpiresAt(millis(window.initialExpiresAt()))
                .setOpening(opening == null ? null : openingEntry(opening))
                .setClosing(
                        closing == null
                                ? null
                                : new ClosingEntry(
                                        millis(closing.closedAt()),
                                        closing.reason().name(),
                                        closing.reportedReplied(),
                                        millisOrNull(closing.reportedWaitingSince()),
                                        closing.arrivedAt()))
                .setOpenedEmitted(window.emitted().opened())
                .setFirstResponseAt(millisOrNull(window.emitted().firstResponseAt()))
                .setFirstResponseSignature(window.emitted().firstResponseSignature())
                .setClosedEmitted(window.emitted().closed())
                .setClosedSignature(window.emitted().closedSignature())
                .setLate(window.late())
                .build();
    }
}
