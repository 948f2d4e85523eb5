package io.janela.survey.asking;

import io.janela.avro.ConversationResolution;
import io.janela.avro.DeliveryStatus;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.InboundMessage;
import io.janela.avro.InboundReply;
import io.janela.avro.MessageStatus;
import io.janela.avro.PayloadType;
import io.janela.avro.ResultKind;
import io.janela.avro.WindowEvent;
import io.janela.contract.ContactKey;
import io.janela.contract.QualifyingMessageTypes;
import io.janela.survey.rules.AnswerForm;
import io.janela.survey.rules.ClosingSoon;
import io.janela.survey.rules.CustomerMessage;
import io.janela.survey.rules.Resolution;
import io.janela.survey.rules.SendOutcome;
import io.janela.survey.rules.SkipReason;
import io.janela.survey.rules.Subject;
import io.janela.survey.rules.SurveyPath;
import java.time.Instant;

/** The rules' view of each input record. */
final class Facts {

    private Facts() {}

    /**
     * The contact key of a resolution, without the alias lookup: {@code {phoneNumberId}:{userId}} when it names the
     * user, else {@code {phoneNumberId}:{waId}} (the phone number's digits; the alias table may map it to the user).
     */
    static String ownKey(ConversationResolution resolution) {
        String contactId = resolution.getRecipientUserId() != null
                ? resolution.getRecipientUserId()
                : waId(resolution.getRecipientPhoneNumber());
        return new ContactKey(resolution.getPhoneNumberId(), contactId).format();
    }

    static boolean isValid(ConversationResolution resolution) {
        return resolution != null
                && resolution.getPhoneNumberId() != null
                && !resolution.getPhoneNumberId().isBlank()
                && (notBlank(resolution.getRecipientUserId()) || notBlank(resolution.getRecipientPhoneNumber()));
    }

    static Resolution resolution(String contactKey, ConversationResolution resolution) {
        ContactKey key = ContactKey.parse(contactKey);
        String phone = resolution.getRecipientPhoneNumber();
        Subject subject = new Subject(
                key.phoneNumberId(),
                key.contactId(),
                phone == null ? null : (phone.startsWith("+") ? phone : "+" + phone),
                resolution.getRecipientUserId(),
                resolution.getTeam(),
                resolution.getAgentId(),
                resolution.getReference(),
                resolution.getLanguage(),
                resolution.getResolutionId(),
                null);
        String surveyId = SurveyIds.forResolution(contactKey, resolution.getResolutionId(), resolution.getResolvedAt());
        return new Resolution(surveyId, subject, resolution.getResolvedAt());
    }

    static ClosingSoon closingSoon(String contactKey, WindowEvent event) {
        String waId = event.getWaId();
        String userId = waId != null && waId.equals(event.getContactId()) ? null : event.getContactId();
        Subject subject = new Subject(
                event.getPhoneNumberId(),
                event.getContactId(),
                waId == null ? null : "+" + waId,
                userId,
                null,
                null,
                null,
                null,
                null,
                event.getWindowOpenedAt());
        return new ClosingSoon(
                SurveyIds.forWindow(contactKey, event.getWindowOpenedAt()),
                subject,
                event.getWindowOpenedAt(),
                event.getOccurredAt(),
                event.getBusinessReplied());
    }

    static CustomerMessage customerMessage(InboundMessage message) {
        InboundReply reply = message.getReply();
        String code = null;
        AnswerForm form = null;
        if (reply != null) {
            switch (reply.getKind()) {
                case LIST_REPLY -> {
                    code = reply.getId();
                    form = AnswerForm.LIST_REPLY;
                }
                case BUTTON_REPLY -> {
                    code = reply.getId();
                    form = AnswerForm.BUTTON_REPLY;
                }
                case TEMPLATE_BUTTON -> {
                    code = reply.getPayload();
                    form = AnswerForm.QUICK_REPLY;
                }
                default -> {}
            }
        }
        return new CustomerMessage(
                message.getMessageId(),
                message.getTimestamp(),
                QualifyingMessageTypes.qualifies(message.getType()),
                message.getContext() == null ? null : message.getContext().getMessageId(),
                code,
                form,
                message.getText());
    }

    /** Dispatch results of survey requests only. */
    static boolean isSurveyResult(DispatchResult result) {
        return result != null
                && (result.getSurveyId() != null || SurveyIds.fromRequestId(result.getRequestId()) != null);
    }

    static SendOutcome outcome(DispatchResult result) {
        String surveyId =
                result.getSurveyId() != null ? result.getSurveyId() : SurveyIds.fromRequestId(result.getRequestId());
        SurveyPath path = result.getPayloadType() == PayloadType.TEMPLATE || result.getFallbackUsed()
                ? SurveyPath.TEMPLATE
                : SurveyPath.IN_WINDOW;
        boolean sent = result.getOutcome() == DispatchOutcome.SENT;
        Instant sentAt = result.getSentAt() != null ? result.getSentAt() : result.getDecidedAt();
        ResultKind kind = result.getKind();
        if (kind == ResultKind.DELIVERY_FAILED) {
            Instant at = result.getStatusAt() != null ? result.getStatusAt() : result.getDecidedAt();
            return new SendOutcome(
                    surveyId,
                    SendOutcome.Kind.UNDELIVERED,
                    SkipReason.SEND_FAILED,
                    result.getWamid(),
                    at,
                    path,
                    result.getMetaErrorCode());
        }
        if (kind == ResultKind.FALLBACK_OUTCOME) {
            return sent
                    ? new SendOutcome(
                            surveyId,
                            SendOutcome.Kind.FALLBACK_SENT,
                            null,
                            result.getWamid(),
                            sentAt,
                            SurveyPath.TEMPLATE,
                            null)
                    : new SendOutcome(
                            surveyId,
                            SendOutcome.Kind.UNDELIVERED,
                            skipReason(result.getReason()),
                            null,
                            result.getDecidedAt(),
                            SurveyPath.TEMPLATE,
                            result.getMetaErrorCode());
        }
        return switch (result.getOutcome()) {
            case SENT -> new SendOutcome(surveyId, SendOutcome.Kind.SENT, null, result.getWamid(), sentAt, path, null);
            case REJECTED, FAILED, EXPIRED ->
                new SendOutcome(
                        surveyId,
                        SendOutcome.Kind.NOT_SENT,
                        skipReason(result.getReason()),
                        null,
                        result.getDecidedAt(),
                        refusedPath(result),
                        result.getMetaErrorCode());
            default -> new SendOutcome(surveyId, SendOutcome.Kind.OTHER, null, null, result.getDecidedAt(), path, null);
        };
    }

    /** Dispatch's reason as a survey's: the window, the template, the opt-out, or a failure to send. */
    static SkipReason skipReason(DispatchReason reason) {
        if (reason == null) {
            return SkipReason.SEND_FAILED;
        }
        return switch (reason) {
            case WINDOW_CLOSED -> SkipReason.WINDOW_CLOSED;
            case TEMPLATE_NOT_FOUND, TEMPLATE_NOT_APPROVED, TEMPLATE_PARAMETERS_MISMATCH -> SkipReason.NO_TEMPLATE;
            case MARKETING_OPTED_OUT, MARKETING_USER_LIMIT -> SkipReason.OPTED_OUT;
            default -> SkipReason.SEND_FAILED;
        };
    }

    /** The path a refused survey would have taken: the template when the template was refused. */
    private static SurveyPath refusedPath(DispatchResult result) {
        SkipReason reason = skipReason(result.getReason());
        if (reason == SkipReason.NO_TEMPLATE || reason == SkipReason.OPTED_OUT) {
            return SurveyPath.TEMPLATE;
        }
        return result.getPayloadType() == PayloadType.TEMPLATE ? SurveyPath.TEMPLATE : SurveyPath.IN_WINDOW;
    }

    /** Delivered and read statuses of survey messages (dispatch puts the request id in the callback data). */
    static boolean isSurveyDelivery(MessageStatus status) {
        return status != null
                && (status.getStatus() == DeliveryStatus.DELIVERED || status.getStatus() == DeliveryStatus.READ)
                && SurveyIds.fromRequestId(status.getBizOpaqueCallbackData()) != null;
    }

    static String waId(String phoneNumber) {
        if (phoneNumber == null) {
            return null;
        }
        return phoneNumber.startsWith("+") ? phoneNumber.substring(1) : phoneNumber;
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
