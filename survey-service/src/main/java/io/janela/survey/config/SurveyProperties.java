package io.janela.survey.config;

import io.janela.contract.spring.DeadlineRebuildProperties;
import io.janela.survey.asking.SurveySettings;
import io.janela.survey.asking.SurveyTemplate;
import io.janela.survey.asking.SurveyTexts;
import io.janela.survey.rules.SurveyPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The survey-service's settings, {@code janela.survey.*} (README "Configuration"). Kafka and Kafka Streams client
 * settings are Spring Boot's {@code spring.kafka.*}.
 *
 * @param delay how long after a resolution the survey is asked; a customer message in between cancels it
 * @param answerWindow how long after sending an answer counts
 * @param throttle at most one survey per contact in this period
 * @param sendWithin a survey request not sent within this is answered EXPIRED by dispatch (SKIPPED send_failed)
 * @param punctuationInterval how often due surveys are looked for
 * @param maxDeadlinesPerPunctuation the most surveys one punctuation acts on
 * @param defaultLanguage the language of the texts when a resolution names none, or one without texts
 * @param texts the in-window list's texts by language; none: English
 * @param templates the utility survey template by business phone number id ({@code "*"}: every number)
 * @param closingSoonNumbers business numbers (or {@code "*"}) whose windows get a survey at CLOSING_SOON after a
 *     business reply
 * @param topics the topics this service declares
 * @param deadlineRebuild how fast a starting task puts its surveys' deadlines back into its index, between its records
 *     ({@code deadline-rebuild.slice-interval}, {@code .states-per-slice}, {@code .time-per-slice})
 */
@ConfigurationProperties("janela.survey")
@Validated
record SurveyProperties(
        @DefaultValue("5m") @NotNull Duration delay,
        @DefaultValue("24h") @NotNull Duration answerWindow,
        @DefaultValue("7d") @NotNull Duration throttle,
        @DefaultValue("1h") @NotNull Duration sendWithin,
        @DefaultValue("1s") @NotNull Duration punctuationInterval,
        @DefaultValue("5000") @Min(1) int maxDeadlinesPerPunctuation,
        @DefaultValue("en") @NotBlank String defaultLanguage,
        Map<String, @Valid Texts> texts,
        Map<String, @Valid Template> templates,
        Set<String> closingSoonNumbers,
        @DefaultValue @Valid Topics topics,
        @DefaultValue @NotNull DeadlineRebuildProperties deadlineRebuild) {

    /**
     * The list's texts in one language.
     *
     * @param body the question
     * @param button the button that opens the list (≤ 20 characters)
     * @param sectionTitle the section title (≤ 24 characters)
     * @param scoreTitles five row titles, for scores 1 to 5 (each ≤ 24 characters)
     */
    public record Texts(
            @NotBlank String body,
            @NotBlank String button,
            @NotBlank String sectionTitle,
            @NotNull List<String> scoreTitles) {}

    /**
     * A survey template.
     *
     * @param name the template's name
     * @param language its language code
     * @param buttonScores the score of each quick-reply button by index (default 5, 4, 3, 2, 1)
     */
    public record Template(@NotBlank String name, @NotBlank String language, List<Integer> buttonScores) {}

    /**
     * @param partitions partitions of the topics it creates and of its repartition topics: the contact-keyed inputs'
     *     count
     * @param replicationFactor replicas of the topics it creates; unset: the broker's default
     */
    public record Topics(
            @DefaultValue("6") @Min(1) int partitions,
            @Min(1) Short replicationFactor) {}

    /** The topology's settings; invalid texts or templates fail here, at start. */
    public SurveySettings settings() {
        Map<String, SurveyTexts> byLanguage = new java.util.HashMap<>();
        if (texts != null) {
            texts.forEach((language, t) ->
                    byLanguage.put(language, new SurveyTexts(t.body(), t.button(), t.sectionTitle(), t.scoreTitles())));
        }
        if (byLanguage.isEmpty()) {
            byLanguage.put(defaultLanguage, SurveyTexts.english());
        }
        Map<String, SurveyTemplate> byNumber = new java.util.HashMap<>();
        if (templates != null) {
            templates.forEach(
                    (number, t) -> byNumber.put(number, new SurveyTemplate(t.name(), t.language(), t.buttonScores())));
        }
        return new SurveySettings(
                new SurveyPolicy(delay, answerWindow, throttle),
                punctuationInterval,
                maxDeadlinesPerPunctuation,
                sendWithin,
                defaultLanguage,
                byLanguage,
                byNumber,
                closingSoonNumbers,
                topics.partitions(),
                deadlineRebuild.pace());
    }
}
