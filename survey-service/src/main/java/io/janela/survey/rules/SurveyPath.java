package io.janela.survey.rules;

/** How a survey reached the customer. */
public enum SurveyPath {
    /** An interactive list 1–5, free-form: only inside the customer service window. */
    IN_WINDOW,
    /** The configured utility survey template with quick-reply buttons (dispatch's fallback template). */
    TEMPLATE
}
