package io.janela.survey.asking;

import java.util.List;
import java.util.Objects;

/**
 * The in-window list's texts in one language.
 *
 * @param body the question (≤ 1,024 characters)
 * @param button the button that opens the list (≤ 20 characters)
 * @param sectionTitle the list section's title (≤ 24 characters)
 * @param scoreTitles the rows' titles for scores 1 to 5, in that order (each ≤ 24 characters); shown 5 first
 */
public record SurveyTexts(String body, String button, String sectionTitle, List<String> scoreTitles) {

    public SurveyTexts {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(button, "button");
        Objects.requireNonNull(sectionTitle, "sectionTitle");
        scoreTitles = List.copyOf(scoreTitles);
        if (scoreTitles.size() != 5) {
            throw new IllegalArgumentException("a survey list has 5 score titles (1 to 5), got " + scoreTitles);
        }
        if (button.length() > 20 || sectionTitle.length() > 24 || body.length() > 1024) {
            throw new IllegalArgumentException(
                    "survey texts over Meta's limits (button ≤ 20, section title ≤ 24," + " body ≤ 1,024 characters)");
        }
        for (String title : scoreTitles) {
            if (title.isBlank() || title.length() > 24) {
                throw new IllegalArgumentException("a list row title is 1 to 24 characters: '" + title + "'");
            }
        }
    }

    /** English, the texts used when none are configured. */
    public static SurveyTexts english() {
        return new SurveyTexts(
                "How would you rate the help you received? Tap to choose, or reply with a number from 1 to 5.",
                "Rate",
                "Your rating",
                List.of("1 - Very poor", "2 - Poor", "3 - Fair", "4 - Good", "5 - Excellent"));
    }
}
