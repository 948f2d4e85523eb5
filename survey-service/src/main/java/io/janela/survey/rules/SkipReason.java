package io.janela.survey.rules;

/** Why a triggered survey was not sent. */
public enum SkipReason {
    /** Outside the customer service window and no template could carry it (none configured, or no reference). */
    WINDOW_CLOSED,
    /** The configured survey template is unknown to dispatch's catalog, not approved, or its parameters do not fit. */
    NO_TEMPLATE,
    /** The contact was sent a survey less than the throttle period ago. */
    THROTTLED,
    /** Dispatch refused it for the contact's opt-out (Meta recategorised the template as marketing). */
    OPTED_OUT,
    /** Dispatch or Meta failed to send or deliver it (an error, retries exhausted, expired). */
    SEND_FAILED
}
