package io.janela.survey.rules;

/** Why an input changed no survey (a meter tag: keep the set closed). */
public enum Ignored {
    /** A trigger for a survey that exists or existed (a redelivered resolution). */
    DUPLICATE_TRIGGER,
    /** A trigger while another survey of the contact is in progress. */
    SURVEY_IN_PROGRESS,
    /** A trigger for a conversation (window) that already had its survey. */
    ALREADY_SURVEYED,
    /** A window policy trigger for a window the business did not reply in. */
    NO_BUSINESS_REPLY,
    /** An answer to a survey that already ended (a second tap, a redelivered webhook). */
    SECOND_ANSWER,
    /** A dispatch result for a survey no longer in progress, or repeated. */
    STALE_RESULT
}
