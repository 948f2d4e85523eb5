package io.janela.survey.asking;

import io.janela.avro.SurveyAnswerForm;
import io.janela.avro.SurveyEvent;
import io.janela.avro.SurveyEventKind;
import io.janela.avro.SurveySkipReason;
import io.janela.survey.rules.Subject;
import io.janela.survey.rules.Survey;
import io.janela.survey.rules.SurveyChange;
import io.janela.survey.rules.SurveyPath;
import java.time.Instant;

/** SurveyEvents from the rules' changes. Event ids are {@code {surveyId}:{kind}}: reprocessing gives the same. */
final class Events {

    private Events() {}

    /** The event of a change; null for a change that is a request, not an event. */
    static SurveyEvent of(SurveyChange change) {
        Survey survey = change.survey();
        return switch (change) {
            case SurveyChange.Requested requested -> null;
            case SurveyChange.Sent sent ->
                base(survey, SurveyEventKind.SENT, survey.sentAt()).build();
            case SurveyChange.Delivered delivered ->
                base(survey, SurveyEventKind.DELIVERED, delivered.at()).build();
            case SurveyChange.Skipped skipped ->
                base(survey, SurveyEventKind.SKIPPED, skipped.at())
                        .setSkipReason(SurveySkipReason.valueOf(skipped.reason().name()))
                        .setPath(skipped.path() == null ? null : path(skipped.path()))
                        .build();
            case SurveyChange.Answered answered ->
                base(survey, SurveyEventKind.ANSWERED, answered.at())
                        .setScore(answered.score())
                        .setAnswerForm(SurveyAnswerForm.valueOf(answered.form().name()))
                        .setAnswerMessageId(answered.messageId())
                        .setAnsweredAt(answered.at())
                        .build();
            case SurveyChange.Expired expired ->
                base(survey, SurveyEventKind.EXPIRED, expired.at()).build();
            case SurveyChange.Cancelled cancelled ->
                base(survey, SurveyEventKind.CANCELLED, cancelled.at()).build();
        };
    }

    private static SurveyEvent.Builder base(Survey survey, SurveyEventKind kind, Instant occurredAt) {
        Subject subject = survey.subject();
        return SurveyEvent.newBuilder()
                .setEventId(survey.surveyId() + ":" + kind.name())
                .setSurveyId(survey.surveyId())
                .setKind(kind)
                .setPhoneNumberId(subject.phoneNumberId())
                .setContactId(subject.contactId())
                .setUserId(subject.recipientUserId())
                .setWaId(Facts.waId(subject.recipientPhone()))
                .setPath(survey.path() == null ? null : path(survey.path()))
                .setTeam(subject.team())
                .setAgentId(subject.agentId())
                .setResolutionId(subject.resolutionId())
                .setRequestId(survey.requestedAt() == null ? null : SurveyIds.requestId(survey.surveyId()))
                .setSurveyMessageId(survey.wamid())
                .setLanguage(subject.language())
                .setOccurredAt(occurredAt)
                .setTriggeredAt(survey.triggeredAt())
                .setSentAt(survey.sentAt())
                .setExpiresAt(survey.expiresAt());
    }

    private static io.janela.avro.SurveyPath path(SurveyPath path) {
        return io.janela.avro.SurveyPath.valueOf(path.name());
    }
}
