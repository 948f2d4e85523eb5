package io.janela.dispatch.outcome;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.InteractivePayload;
import io.janela.avro.MediaPayload;
import io.janela.avro.MessageCategory;
import io.janela.avro.MessageStatus;
import io.janela.avro.MetaError;
import io.janela.avro.OutboundRequest;
import io.janela.avro.PayloadType;
import io.janela.avro.PlannedSend;
import io.janela.avro.ResultKind;
import io.janela.avro.SendCommand;
import io.janela.avro.SendKind;
import io.janela.avro.TemplatePayload;
import io.janela.avro.TextPayload;
import io.janela.contract.ContactKey;
import java.time.Instant;

/**
 * Builds the {@link DispatchResult} of each way a request can end, so that every producer of results (the decision
 * topology, the sender, the correlation of statuses) fills the same fields the same way.
 */
public final class Results {

    private Results() {}

    /** REJECTED, EXPIRED or DUPLICATE, decided without sending. */
    public static DispatchResult refused(
            OutboundRequest request,
            String contactId,
            DispatchOutcome outcome,
            DispatchReason reason,
            String detail,
            MessageCategory category,
            Instant decidedAt) {
        TemplatePayload template = request.getPayload() instanceof TemplatePayload payload ? payload : null;
        return base(request, contactId, decidedAt)
                .setOutcome(outcome)
                .setReason(reason)
                .setDetail(detail)
                .setCategory(category == null ? MessageCategory.UNKNOWN : category)
                .setPayloadType(payloadType(request.getPayload()))
                .setTemplateName(template == null ? null : template.getName())
                .setTemplateLanguage(template == null ? null : template.getLanguage())
                .build();
    }

    /**
     * A request that could not be read far enough to be decided: only what was readable is filled.
     *
     * @param phoneNumberId the business number, or "" when unreadable
     */
    public static DispatchResult invalid(
            String requestId, String phoneNumberId, String contactId, String detail, Instant createdAt, Instant at) {
        return DispatchResult.newBuilder()
                .setRequestId(requestId)
                .setKind(ResultKind.OUTCOME)
                .setOutcome(DispatchOutcome.REJECTED)
                .setReason(DispatchReason.INVALID_REQUEST)
                .setDetail(detail)
                .setPhoneNumberId(phoneNumberId == null ? "" : phoneNumberId)
                .setContactId(contactId)
                .setRequestCreatedAt(createdAt)
                .setDecidedAt(at)
                .build();
    }

    /** The message Meta accepted for a command. */
    public static DispatchResult sent(
            SendCommand command, boolean fallbackSent, String wamid, int attempts, Instant sentAt) {
        PlannedSend plan = fallbackSent && !command.getPrimary().getFallbackTemplate()
                ? command.getFallback()
                : command.getPrimary();
        return sending(command, plan, fallbackSent)
                .setOutcome(DispatchOutcome.SENT)
                .setWamid(wamid)
                .setAttempts(attempts)
                .setSentAt(sentAt)
                .build();
    }

    /** A command that ends without Meta accepting it: FAILED (or EXPIRED while waiting to be sent). */
    public static DispatchResult failed(
            SendCommand command,
            DispatchOutcome outcome,
            DispatchReason reason,
            Integer metaErrorCode,
            String detail,
            boolean fallbackTried,
            int attempts,
            Instant at) {
        PlannedSend plan = fallbackTried && !command.getPrimary().getFallbackTemplate()
                ? command.getFallback()
                : command.getPrimary();
        // A refusal for good names what the code means when Meta's 2025-2026 codes say more than "failed".
        boolean refused = reason == DispatchReason.META_ERROR;
        return sending(command, plan, fallbackTried)
                .setOutcome(outcome)
                .setReason(refused ? MetaErrorPolicy.reason(metaErrorCode) : reason)
                .setRetryAfter(refused ? MetaErrorPolicy.retryAfter(metaErrorCode, at) : null)
                .setMetaErrorCode(metaErrorCode)
                .setDetail(detail)
                .setAttempts(attempts)
                .setDecidedAt(at)
                .build();
    }

    /**
     * A {@code failed} status webhook for a message that was sent (kind DELIVERY_FAILED).
     *
     * @param plan the request's send command, when the correlation still has it; else the status alone speaks
     */
    public static DispatchResult deliveryFailed(MessageStatus status, SendCommand plan, Instant at) {
        MetaError error =
                status.getErrors().isEmpty() ? null : status.getErrors().getFirst();
        OutboundRequest request = plan == null ? null : plan.getRequest();
        return DispatchResult.newBuilder()
                .setRequestId(status.getBizOpaqueCallbackData())
                .setKind(ResultKind.DELIVERY_FAILED)
                .setOutcome(DispatchOutcome.FAILED)
                .setReason(MetaErrorPolicy.reason(error == null ? null : error.getCode()))
                .setRetryAfter(
                        MetaErrorPolicy.retryAfter(error == null ? null : error.getCode(), status.getTimestamp()))
                .setMetaErrorCode(error == null ? null : error.getCode())
                .setDetail(error == null ? "Meta reported the message failed" : error.getDetails())
                .setPhoneNumberId(status.getPhoneNumberId())
                .setContactId(plan == null ? status.getContactId() : plan.getContactId())
                .setWamid(status.getMessageId())
                .setOrigin(request == null ? io.janela.avro.Origin.UNKNOWN : request.getOrigin())
                .setPayloadType(request == null ? PayloadType.UNKNOWN : payloadType(request.getPayload()))
                .setReplyToMessageId(request == null ? null : request.getReplyToMessageId())
                .setTeam(request == null ? null : request.getTeam())
                .setAgentId(request == null ? null : request.getAgentId())
                .setSurveyId(request == null ? null : request.getSurveyId())
                .setRequestCreatedAt(request == null ? status.getTimestamp() : request.getCreatedAt())
                .setDecidedAt(at)
                .setStatusAt(status.getTimestamp())
                .build();
    }

    /** The contact key of a command's results. */
    public static String key(SendCommand command) {
        return new ContactKey(command.getPhoneNumberId(), command.getContactId()).format();
    }

    private static DispatchResult.Builder sending(SendCommand command, PlannedSend plan, boolean fallbackUsed) {
        OutboundRequest request = command.getRequest();
        boolean template = plan.getFallbackTemplate() || request.getPayload() instanceof TemplatePayload;
        TemplatePayload sentTemplate = plan.getFallbackTemplate()
                ? request.getFallbackTemplate()
                : request.getPayload() instanceof TemplatePayload payload ? payload : null;
        boolean fallback = command.getKind() == SendKind.FALLBACK;
        return base(request, command.getContactId(), command.getDecidedAt())
                .setKind(fallback ? ResultKind.FALLBACK_OUTCOME : ResultKind.OUTCOME)
                .setPayloadType(template ? PayloadType.TEMPLATE : payloadType(request.getPayload()))
                .setTemplateName(sentTemplate == null ? null : sentTemplate.getName())
                .setTemplateLanguage(sentTemplate == null ? null : sentTemplate.getLanguage())
                .setCategory(plan.getCategory())
                .setPricingType(plan.getPricingType())
                .setEstimatedCost(plan.getEstimatedCost())
                .setCurrency(plan.getCurrency())
                .setFallbackUsed(fallbackUsed || plan.getFallbackTemplate() || fallback);
    }

    private static DispatchResult.Builder base(OutboundRequest request, String contactId, Instant decidedAt) {
        return DispatchResult.newBuilder()
                .setRequestId(request.getRequestId())
                .setKind(ResultKind.OUTCOME)
                .setOutcome(DispatchOutcome.UNKNOWN)
                .setPhoneNumberId(request.getPhoneNumberId())
                .setContactId(contactId)
                .setOrigin(request.getOrigin())
                .setReplyToMessageId(request.getReplyToMessageId())
                // The contract copies these onto every result: metrics labels by team, sums per agent and tells a
                // survey from a reply by them.
                .setTeam(request.getTeam())
                .setAgentId(request.getAgentId())
                .setSurveyId(request.getSurveyId())
                .setRequestCreatedAt(request.getCreatedAt())
                .setDecidedAt(decidedAt);
    }

    public static PayloadType payloadType(Object payload) {
        return switch (payload) {
            case TextPayload ignored -> PayloadType.TEXT;
            case TemplatePayload ignored -> PayloadType.TEMPLATE;
            case MediaPayload ignored -> PayloadType.MEDIA;
            case InteractivePayload ignored -> PayloadType.INTERACTIVE;
            case null, default -> PayloadType.UNKNOWN;
        };
    }
}
