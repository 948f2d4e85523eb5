package io.janela.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SurveyAnswersTest {

    @Test
    void aCodeNamesTheSurveyAndTheScore() {
        String code = SurveyAnswers.code("Ab_9-x", 4);

        assertThat(code).isEqualTo("csat:Ab_9-x:4");
        assertThat(SurveyAnswers.isSurveyCode(code)).isTrue();
        assertThat(SurveyAnswers.surveyIdOf(code)).isEqualTo("Ab_9-x");
        assertThat(SurveyAnswers.scoreOfCode(code)).hasValue(4);
    }

    @Test
    void refusesScoresOutsideOneToFiveAndIdsWithAColon() {
        assertThatThrownBy(() -> SurveyAnswers.code("s", 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SurveyAnswers.code("a:b", 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherRepliesAreNoSurveyCodes() {
        assertThat(SurveyAnswers.isSurveyCode("order-status")).isFalse();
        assertThat(SurveyAnswers.scoreOfCode("csat:s:9")).isEmpty();
        assertThat(SurveyAnswers.scoreOfCode("csat::4")).isEmpty();
        assertThat(SurveyAnswers.scoreOfCode(null)).isEmpty();
    }

    @Test
    void freeTextCountsWhenItStartsWithOneDigitFromOneToFive() {
        assertThat(SurveyAnswers.scoreOfText("5")).hasValue(5);
        assertThat(SurveyAnswers.scoreOfText("  4 - quick and kind")).hasValue(4);
        assertThat(SurveyAnswers.scoreOfText("1!")).hasValue(1);
        assertThat(SurveyAnswers.scoreOfText("10 items are missing")).isEqualTo(OptionalInt.empty());
        assertThat(SurveyAnswers.scoreOfText("0")).isEmpty();
        assertThat(SurveyAnswers.scoreOfText("6")).isEmpty();
        assertThat(SurveyAnswers.scoreOfText("thanks, 5")).isEmpty();
        assertThat(SurveyAnswers.scoreOfText("   ")).isEmpty();
        assertThat(SurveyAnswers.scoreOfText(null)).isEmpty();
    }
}
