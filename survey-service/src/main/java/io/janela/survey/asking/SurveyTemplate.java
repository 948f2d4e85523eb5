package io.janela.survey.asking;

import io.janela.contract.SurveyAnswers;
import java.util.List;
import java.util.Objects;

/**
 * The utility survey template for outside the window: one positional body parameter, the resolution's reference
 * (Meta approves a survey as UTILITY only when it names the interaction), and quick-reply buttons, each giving one
 * score.
 *
 * @param name the template's name in the business account's catalog
 * @param language its language code
 * @param buttonScores the score of each quick-reply button, by button index
 */
public record SurveyTemplate(String name, String language, List<Integer> buttonScores) {

    public SurveyTemplate {
        Objects.requireNonNull(name, "template name");
        Objects.requireNonNull(language, "template language");
        buttonScores =
                buttonScores == null || buttonScores.isEmpty() ? List.of(5, 4, 3, 2, 1) : List.copyOf(buttonScores);
        for (int score : buttonScores) {
            if (score < SurveyAnswers.LOWEST || score > SurveyAnswers.HIGHEST) {
                throw new IllegalArgumentException("a quick-reply score is 1 to 5: " + buttonScores);
            }
        }
        if (buttonScores.size() > 10) {
            throw new IllegalArgumentException("a template has at most 10 quick-reply buttons: " + buttonScores);
        }
    }
}
