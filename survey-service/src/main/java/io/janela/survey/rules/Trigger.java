package io.janela.survey.rules;

/** What started a survey. */
public enum Trigger {
    /** A ConversationResolution from a company system, after the configured delay. */
    RESOLUTION,
    /** The per-number window policy: CLOSING_SOON of a window the business replied in. */
    WINDOW_POLICY
}
