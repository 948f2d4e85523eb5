package io.janela.survey.asking;

import io.janela.streams.DeadlineRebuild;
import io.janela.survey.rules.SurveyPolicy;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the topology needs to know, from configuration.
 *
 * @param policy the timing rules
 * @param punctuationInterval how often due surveys are looked for
 * @param maxDeadlinesPerPunctuation the most surveys one punctuation acts on
 * @param sendWithin a survey request expires this long after it was made (dispatch answers EXPIRED: SKIPPED)
 * @param defaultLanguage the texts' language when a resolution names none (or one without texts)
 * @param texts the list's texts by language ({@code en}, {@code pt_BR}; {@code pt} serves {@code pt_BR} too)
 * @param templates the survey template by business phone number id ({@code *}: every other number); none: no
 *     template path
 * @param closingSoonNumbers the business numbers whose windows get a survey at CLOSING_SOON after a business reply
 * @param partitions partitions of the repartition topics: the contact-keyed inputs' count
 * @param indexRebuild how a starting task's deadline index rebuild shares the stream thread with its records
 *     ({@code janela.survey.deadline-rebuild.*})
 */
public record SurveySettings(
        SurveyPolicy policy,
        Duration punctuationInterval,
        int maxDeadlinesPerPunctuation,
        Duration sendWithin,
        String defaultLanguage,
        Map<String, SurveyTexts> texts,
        Map<String, SurveyTemplate> templates,
        Set<String> closingSoonNumbers,
        int partitions,
        DeadlineRebuild.Pace indexRebuild) {

    public static final String EVERY_NUMBER = "*";

    public SurveySettings {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(punctuationInterval, "punctuationInterval");
        Objects.requireNonNull(sendWithin, "sendWithin");
        Objects.requireNonNull(indexRebuild, "indexRebuild");
        texts = texts == null || texts.isEmpty() ? Map.of("en", SurveyTexts.english()) : Map.copyOf(texts);
        defaultLanguage = defaultLanguage == null ? "en" : defaultLanguage;
        if (!texts.containsKey(defaultLanguage)) {
            throw new IllegalArgumentException(
                    "the default language " + defaultLanguage + " has no survey texts (have " + texts.keySet() + ")");
        }
        templates = templates == null ? Map.of() : Map.copyOf(templates);
        closingSoonNumbers = closingSoonNumbers == null ? Set.of() : Set.copyOf(closingSoonNumbers);
        if (maxDeadlinesPerPunctuation < 1 || partitions < 1) {
            throw new IllegalArgumentException("maxDeadlinesPerPunctuation and partitions are at least 1");
        }
    }

    /** The texts for a language: exact, then its base language, then the default. */
    public SurveyTexts texts(String language) {
        if (language != null) {
            SurveyTexts exact = texts.get(language);
            if (exact != null) {
                return exact;
            }
            String base = language.split("[_-]", 2)[0].toLowerCase(Locale.ROOT);
            SurveyTexts baseTexts = texts.get(base);
            if (baseTexts != null) {
                return baseTexts;
            }
        }
        return texts.get(defaultLanguage);
    }

    /** The survey template of a business number, or null when it has none. */
    public SurveyTemplate template(String phoneNumberId) {
        SurveyTemplate own = templates.get(phoneNumberId);
        return own != null ? own : templates.get(EVERY_NUMBER);
    }

    /** Whether a number's windows get a survey at CLOSING_SOON. */
    public boolean surveysAtClosingSoon(String phoneNumberId) {
        return closingSoonNumbers.contains(phoneNumberId) || closingSoonNumbers.contains(EVERY_NUMBER);
    }
}
