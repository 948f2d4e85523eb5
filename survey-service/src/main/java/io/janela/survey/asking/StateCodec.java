package io.janela.survey.asking;

import io.janela.survey.asking.avro.StoredSurvey;
import io.janela.survey.asking.avro.StoredSurveys;
import io.janela.survey.rules.ContactSurveys;
import io.janela.survey.rules.Subject;
import io.janela.survey.rules.Survey;
import io.janela.survey.rules.SurveyPath;
import io.janela.survey.rules.Trigger;
import java.time.Instant;

/** {@link ContactSurveys} to and from the store's Avro record. */
final class StateCodec {

    private StateCodec() {}

    static ContactSurveys decode(StoredSurveys stored) {
        if (stored == null) {
            return ContactSurveys.EMPTY;
        }
        return new ContactSurveys(
                decode(stored.getCurrent()),
                instant(stored.getLastSentAt()),
                instant(stored.getLastCustomerMessageAt()),
                instant(stored.getWindowOpenedAt()),
                instant(stored.getSurveyedWindowOpenedAt()),
                stored.getClosedSurveyId(),
                stored.getClosedWamid());
    }

    static StoredSurveys encode(ContactSurveys state) {
        return StoredSurveys.newBuilder()
                .setCurrent(encode(state.current()))
                .setLastSentAt(millis(state.lastSentAt()))
                .setLastCustomerMessageAt(millis(state.lastCustomerMessageAt()))
                .setWindowOpenedAt(millis(state.windowOpenedAt()))
                .setSurveyedWindowOpenedAt(millis(state.surveyedWindowOpenedAt()))
                .setClosedSurveyId(state.closedSurveyId())
                .setClosedWamid(state.closedWamid())
                .build();
    }

    private static Survey decode(StoredSurvey stored) {
        if (stored == null) {
            return null;
        }
        Subject subject = new Subject(
                stored.getPhoneNumberId(),
                stored.getContactId(),
                stored.getRecipientPhone(),
                stored.getRecipientUserId(),
                stored.getTeam(),
                stored.getAgentId(),
                stored.getReference(),
                stored.getLanguage(),
                stored.getResolutionId(),
                instant(stored.getConversationOpenedAt()));
        return new Survey(
                stored.getSurveyId(),
                Trigger.valueOf(stored.getTrigger()),
                Survey.Status.valueOf(stored.getStatus()),
                subject,
                Instant.ofEpochMilli(stored.getTriggeredAt()),
                Instant.ofEpochMilli(stored.getDueAt()),
                instant(stored.getRequestedAt()),
                stored.getCustomerWroteSinceRequest(),
                stored.getWamid(),
                stored.getPath() == null ? null : SurveyPath.valueOf(stored.getPath()),
                instant(stored.getSentAt()),
                instant(stored.getExpiresAt()),
                stored.getDelivered());
    }

    private static StoredSurvey encode(Survey survey) {
        if (survey == null) {
            return null;
        }
        Subject subject = survey.subject();
        return StoredSurvey.newBuilder()
                .setSurveyId(survey.surveyId())
                .setTrigger(survey.trigger().name())
                .setStatus(survey.status().name())
                .setPhoneNumberId(subject.phoneNumberId())
                .setContactId(subject.contactId())
                .setRecipientPhone(subject.recipientPhone())
                .setRecipientUserId(subject.recipientUserId())
                .setTeam(subject.team())
                .setAgentId(subject.agentId())
                .setReference(subject.reference())
                .setLanguage(subject.language())
                .setResolutionId(subject.resolutionId())
                .setConversationOpenedAt(millis(subject.conversationOpenedAt()))
                .setTriggeredAt(survey.triggeredAt().toEpochMilli())
                .setDueAt(survey.dueAt().toEpochMilli())
                .setRequestedAt(millis(survey.requestedAt()))
                .setCustomerWroteSinceRequest(survey.customerWroteSinceRequest())
                .setWamid(survey.wamid())
                .setPath(survey.path() == null ? null : survey.path().name())
                .setSentAt(millis(survey.sentAt()))
                .setExpiresAt(millis(survey.expiresAt()))
                .setDelivered(survey.delivered())
                .build();
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
