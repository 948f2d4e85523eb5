package io.janela.survey.rules;

/** How a customer answered. */
public enum AnswerForm {
    /** A row of the in-window list. */
    LIST_REPLY,
    /** An interactive reply button. */
    BUTTON_REPLY,
    /** A quick-reply button of the survey template. */
    QUICK_REPLY,
    /** A text starting with the score. */
    FREE_TEXT
}
