package io.janela.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ThroughputLimiterTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    @Test
    void spacesSendsEvenlyAtTheRate() {
        ThroughputLimiter limiter = new ThroughputLimiter(80, 20 * MS);
        List<Long> sends = drive(limiter, 0, 2 * SECOND, MS, new Random(1), 0);

        assertThat(sends).hasSize(160);
        for (int i = 1; i < sends.size(); i++) {
            assertThat(sends.get(i) - sends.get(i - 1)).isGreaterThanOrEqualTo(12 * MS);
        }
    }

    @Test
    void neverHoldsMoreThanTheLimitInAnyTrailingSecondEvenWhenThePacerWakesLate() {
        ThroughputLimiter limiter = new ThroughputLimiter(80, 20 * MS);
        // A pacer that wakes at random, up to 15 ms late, and catches up.
        List<Long> sends = drive(limiter, 0, 10 * SECOND, MS, new Random(7), 15 * MS);

        assertThat(maxInAnySecond(sends)).isLessThanOrEqualTo(80);
        assertThat(sends.size()).as("catching up keeps the rate at the limit").isGreaterThanOrEqualTo(785);
    }

    @Test
    void takesAFractionalShareAsTheRateAndItsWholePartAsTheCap() {
        ThroughputLimiter limiter = new ThroughputLimiter(26.7, 20 * MS);
        List<Long> sends = drive(limiter, 0, 10 * SECOND, MS, new Random(3), 5 * MS);

        assertThat(limiter.perSecond()).isEqualTo(26);
        assertThat(maxInAnySecond(sends)).isLessThanOrEqualTo(26);
    }

    @Test
    void lowersTheRateAtOnceButRaisesItOnlyAfterAGuardWindowSoThatTheOldOwnerOfTheShareIsPastItsLastSecond() {
        ThroughputLimiter limiter = new ThroughputLimiter(4, 20 * MS);
        limiter.rate(2, 0);
        assertThat(limiter.perSecond()).isEqualTo(2);
        limiter.rate(5, 0);
        assertThat(limiter.earliest(500 * MS)).isEqualTo(500 * MS);
        assertThat(limiter.perSecond()).as("not yet raised").isEqualTo(2);
        limiter.earliest(2 * SECOND);
        assertThat(limiter.perSecond()).isEqualTo(5);
    }

    @Test
    void sendsNothingAtRateZero() {
        ThroughputLimiter limiter = new ThroughputLimiter(0, 20 * MS);
        assertThat(limiter.earliest(0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void startsAtOnceAfterBeingIdle() {
        ThroughputLimiter limiter = new ThroughputLimiter(10, 20 * MS);
        limiter.sent(0);
        assertThat(limiter.earliest(5 * SECOND)).isEqualTo(5 * SECOND);
    }

    /** Sends whenever allowed, waking every {@code tick} plus a random delay up to {@code lateness}. */
    private static List<Long> drive(
            ThroughputLimiter limiter, long from, long until, long tick, Random random, long lateness) {
        List<Long> sends = new ArrayList<>();
        long now = from;
        while (now < until) {
            while (limiter.earliest(now) <= now) {
                limiter.sent(now);
                sends.add(now);
            }
            now += tick + (lateness == 0 ? 0 : (long) (random.nextDouble() * lateness));
        }
        return sends;
    }

    static int maxInAnySecond(List<Long> sends) {
        int max = 0;
        int start = 0;
        for (int end = 0; end < sends.size(); end++) {
            while (sends.get(end) - sends.get(start) >= SECOND) {
                start++;
            }
            max = Math.max(max, end - start + 1);
        }
        return max;
    }
}
