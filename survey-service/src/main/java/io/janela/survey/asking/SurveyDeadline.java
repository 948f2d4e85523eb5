package io.janela.survey.asking;

import io.janela.streams.DeadlineIndex;

/**
 * The one kind of deadline in the survey-service's index: a contact's next survey deadline (a PENDING survey's due
 * time, an OPEN one's expiry; {@code SurveyRules.nextDeadline}). A contact has at most one, moved as it changes.
 */
enum SurveyDeadline implements DeadlineIndex.Kind {
    NEXT((byte) 1);

    private final byte code;

    SurveyDeadline(byte code) {
        this.code = code;
    }

    @Override
    public byte code() {
        return code;
    }
}
