package io.janela.survey.rules;

import java.util.List;

/**
 * The result of applying one input to a contact's surveys.
 *
 * @param before the state before (never null: {@link ContactSurveys#EMPTY} for a new contact)
 * @param after the state after
 * @param changes what happened to surveys, in order
 * @param ignored why nothing happened, when the input was a trigger, an answer or a result that did not count
 */
public record Step(ContactSurveys before, ContactSurveys after, List<SurveyChange> changes, Ignored ignored) {

    static Step to(ContactSurveys before, ContactSurveys after, SurveyChange... changes) {
        return new Step(before, after, List.of(changes), null);
    }

    static Step ignored(ContactSurveys state, Ignored why) {
        return new Step(state, state, List.of(), why);
    }

    /** Nothing happened to a survey, though the state noted something (a message time, a window). */
    static Step ignored(ContactSurveys before, ContactSurveys after, Ignored why) {
        return new Step(before, after, List.of(), why);
    }

    public boolean changedState() {
        return !before.equals(after);
    }
}
