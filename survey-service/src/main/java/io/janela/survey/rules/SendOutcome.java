package io.janela.survey.rules;

import java.time.Instant;

/**
 * What dispatch reported about a survey's OutboundRequest.
 *
 * @param surveyId the survey
 * @param kind what happened
 * @param reason NOT_SENT and UNDELIVERED: why
 * @param wamid SENT and FALLBACK_SENT: Meta's message id
 * @param at SENT / FALLBACK_SENT: when Meta accepted it; otherwise when dispatch decided or Meta reported
 * @param path SENT: how it went (a template when dispatch sent the fallback)
 * @param metaErrorCode UNDELIVERED: Meta's code
 */
public record SendOutcome(
        String surveyId,
        Kind kind,
        SkipReason reason,
        String wamid,
        Instant at,
        SurveyPath path,
        Integer metaErrorCode) {

    /** Meta's code for "outside the customer service window": dispatch then sends the fallback template. */
    public static final int REENGAGEMENT_REQUIRED = 131047;

    public enum Kind {
        /** The survey went. */
        SENT,
        /** Refused or failed before or at Meta's API. */
        NOT_SENT,
        /** Meta accepted it, then reported it failed (a failed status). */
        UNDELIVERED,
        /** After Meta refused the list for the window (131047), dispatch sent the survey template instead. */
        FALLBACK_SENT,
        /** A result that says nothing about this survey (a duplicate request id). */
        OTHER
    }
}
