package io.janela.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateBackoffTest {

    private static final String NUMBER = "100000000000001";
    private static final String OTHER = "100000000000002";
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    private final RateBackoff backoff = new RateBackoff(0.02, 0.9, Duration.ofSeconds(30));

    @Test
    void aRefusalLowersOnlyItsNumberByOneStep() {
        assertThat(backoff.refused(NUMBER, T0.minusMillis(20), T0)).isTrue();

        assertThat(backoff.factor(NUMBER)).isCloseTo(0.98, within());
        assertThat(backoff.factor(OTHER)).isEqualTo(1.0);
    }

    @Test
    void refusalsOfCallsStartedBeforeTheCutAreOneOverrunHoweverLateTheirAnswers() {
        backoff.refused(NUMBER, T0.minusMillis(30), T0);

        // calls that had left before the cut, answered up to 2 s later (Meta's latency under load)
        assertThat(backoff.refused(NUMBER, T0.minusMillis(10), T0.plusMillis(400)))
                .isFalse();
        assertThat(backoff.refused(NUMBER, T0.minusMillis(1), T0.plusSeconds(2)))
                .isFalse();
        assertThat(backoff.factor(NUMBER)).isCloseTo(0.98, within());
        // a call paced at the lowered rate
        assertThat(backoff.refused(NUMBER, T0.plusMillis(100), T0.plusMillis(150)))
                .isTrue();
        assertThat(backoff.factor(NUMBER)).isCloseTo(0.96, within());
    }

    @Test
    void aRefusalJustAfterAStepBackCountsAgain() {
        backoff.refused(NUMBER, T0, T0); // 0.98
        assertThat(backoff.recover(T0.plusSeconds(30))).isTrue(); // 0.99

        assertThat(backoff.refused(NUMBER, T0.plusMillis(30_500), T0.plusMillis(30_600)))
                .isTrue();
        assertThat(backoff.factor(NUMBER)).isCloseTo(0.97, within());
    }

    @Test
    void neverBelowTheFloor() {
        for (int i = 0; i < 20; i++) {
            backoff.refused(NUMBER, T0.plusSeconds(2L * i).minusMillis(20), T0.plusSeconds(2L * i));
        }

        assertThat(backoff.factor(NUMBER)).isCloseTo(0.9, within());
        assertThat(backoff.refused(NUMBER, T0.plusSeconds(100).minusMillis(20), T0.plusSeconds(100)))
                .isFalse();
    }

    @Test
    void givesHalfAStepBackPerQuietPeriodUntilTheWholeRate() {
        backoff.refused(NUMBER, T0.minusMillis(20), T0);
        backoff.refused(NUMBER, T0.plusSeconds(2).minusMillis(20), T0.plusSeconds(2)); // 0.96

        assertThat(backoff.recover(T0.plusSeconds(31))).isFalse(); // 29 s after the last refusal: not yet
        assertThat(backoff.recover(T0.plusSeconds(32))).isTrue();
        assertThat(backoff.factor(NUMBER)).isCloseTo(0.97, within());
        assertThat(backoff.recover(T0.plusSeconds(61))).isFalse(); // each step waits its own quiet period
        assertThat(backoff.recover(T0.plusSeconds(62))).isTrue();
        assertThat(backoff.recover(T0.plusSeconds(92))).isTrue();
        assertThat(backoff.recover(T0.plusSeconds(122))).isTrue();
        assertThat(backoff.factor(NUMBER)).isEqualTo(1.0);
        assertThat(backoff.recover(T0.plusSeconds(600))).isFalse();
    }

    @Test
    void aRefusalDuringRecoveryStartsTheQuietPeriodAgain() {
        backoff.refused(NUMBER, T0.minusMillis(20), T0);
        backoff.refused(NUMBER, T0.plusSeconds(20).minusMillis(20), T0.plusSeconds(20)); // 0.96

        assertThat(backoff.recover(T0.plusSeconds(31))).isFalse();
        assertThat(backoff.factor(NUMBER)).isCloseTo(0.96, within());
    }

    @Test
    void aZeroStepNeverLowersAnything() {
        RateBackoff off = new RateBackoff(0, 0.9, Duration.ofSeconds(30));

        assertThat(off.refused(NUMBER, T0.minusMillis(20), T0)).isFalse();
        assertThat(off.factor(NUMBER)).isEqualTo(1.0);
    }

    @Test
    void theNumbersRatesFollowTheBackoff() {
        var number = io.janela.dispatch.Fixtures.businessNumber();
        NumberRates rates = new NumberRates(
                java.util.List.of(number),
                n -> new ThroughputReports.Limit(n.throughputLimit(), ThroughputReports.CONFIGURED),
                1.0,
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                backoff);
        double before = rates.update(1, java.util.List.of(0)).get(number.phoneNumberId());

        backoff.refused(number.phoneNumberId(), T0.minusMillis(20), T0);

        assertThat(rates.update(1, java.util.List.of(0)).get(number.phoneNumberId()))
                .isCloseTo(before * 0.98, org.assertj.core.data.Offset.offset(1e-9));
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
