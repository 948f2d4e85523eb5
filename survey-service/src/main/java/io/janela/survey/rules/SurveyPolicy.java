package io.janela.survey.rules;

import java.time.Duration;
import java.util.Objects;

/**
 * The timing rules' settings.
 *
 * @param delay how long after a resolution the survey is asked (a customer message in between cancels it)
 * @param answerWindow how long after it was sent an answer counts
 * @param throttlePeriod at most one survey per contact in this period (counted from the last one sent)
 */
public record SurveyPolicy(Duration delay, Duration answerWindow, Duration throttlePeriod) {

    public SurveyPolicy {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(answerWindow, "answerWindow");
        Objects.requireNonNull(throttlePeriod, "throttlePeriod");
        if (delay.isNegative() || answerWindow.isNegative() || answerWindow.isZero() || throttlePeriod.isNegative()) {
            throw new IllegalArgumentException("survey delay and throttle must not be negative, the answer window"
                    + " must be positive: " + delay + ", " + answerWindow + ", " + throttlePeriod);
        }
    }

    /** The defaults: 5 minutes, 24 hours, 7 days. */
    public static SurveyPolicy defaults() {
        return new SurveyPolicy(Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofDays(7));
    }
}
