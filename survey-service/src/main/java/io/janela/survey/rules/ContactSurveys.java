package io.janela.survey.rules;

import java.time.Instant;

/**
 * What the survey-service keeps about one contact: the survey in progress and what makes the rules hold across
 * surveys (the throttle, one survey per conversation, the last survey's ids so that a second answer is recognised).
 *
 * @param current the survey in progress, or null
 * @param lastSentAt when the contact was last sent a survey (the throttle counts from it)
 * @param lastCustomerMessageAt Meta time of the contact's latest message (a resolution older than it is cancelled)
 * @param windowOpenedAt the opening time of the contact's latest window, from the window events
 * @param surveyedWindowOpenedAt the window a survey was last asked (or refused by the throttle) for
 * @param closedSurveyId the last survey that ended, so that a duplicate trigger or a second answer is recognised
 * @param closedWamid its message id
 */
public record ContactSurveys(
        Survey current,
        Instant lastSentAt,
        Instant lastCustomerMessageAt,
        Instant windowOpenedAt,
        Instant surveyedWindowOpenedAt,
        String closedSurveyId,
        String closedWamid) {

    public static final ContactSurveys EMPTY = new ContactSurveys(null, null, null, null, null, null, null);

    ContactSurveys withCurrent(Survey survey) {
        return new ContactSurveys(
                survey,
                lastSentAt,
                lastCustomerMessageAt,
                windowOpenedAt,
                surveyedWindowOpenedAt,
                closedSurveyId,
                closedWamid);
    }

    /** The current survey ended (answered, expired, cancelled or skipped). */
    ContactSurveys closed() {
        return new ContactSurveys(
                null,
                lastSentAt,
                lastCustomerMessageAt,
                windowOpenedAt,
                surveyedWindowOpenedAt,
                current.surveyId(),
                current.wamid());
    }

    ContactSurveys withLastSentAt(Instant sentAt) {
        return new ContactSurveys(
                current,
                Times.latest(lastSentAt, sentAt),
                lastCustomerMessageAt,
                windowOpenedAt,
                surveyedWindowOpenedAt,
                closedSurveyId,
                closedWamid);
    }

    ContactSurveys withCustomerMessageAt(Instant at) {
        return new ContactSurveys(
                current,
                lastSentAt,
                Times.latest(lastCustomerMessageAt, at),
                windowOpenedAt,
                surveyedWindowOpenedAt,
                closedSurveyId,
                closedWamid);
    }

    ContactSurveys withWindowOpenedAt(Instant openedAt) {
        return new ContactSurveys(
                current,
                lastSentAt,
                lastCustomerMessageAt,
                Times.latest(windowOpenedAt, openedAt),
                surveyedWindowOpenedAt,
                closedSurveyId,
                closedWamid);
    }

    ContactSurveys surveyed(Instant conversationOpenedAt) {
        return conversationOpenedAt == null
                ? this
                : new ContactSurveys(
                        current,
                        lastSentAt,
                        lastCustomerMessageAt,
                        windowOpenedAt,
                        conversationOpenedAt,
                        closedSurveyId,
                        closedWamid);
    }
}
