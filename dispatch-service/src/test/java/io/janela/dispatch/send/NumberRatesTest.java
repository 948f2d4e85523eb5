package io.janela.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.dispatch.business.BusinessNumber;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class NumberRatesTest {

    private static final BusinessNumber EIGHTY = number("1", 80);
    private static final BusinessNumber TWENTY = number("2", 20);

    @Test
    void eachNumbersRateIsItsShareOfTheLimitForThePartitionsHeldTimesTheThroughputShare() {
        NumberRates rates =
                new NumberRates(List.of(EIGHTY, TWENTY), 0.5, Duration.ofMillis(500), Duration.ofSeconds(1));

        assertThat(rates.update(4, List.of(0, 1))).isEqualTo(Map.of("1", 20.0, "2", 5.0));
        assertThat(rates.update(4, List.of())).isEqualTo(Map.of("1", 0.0, "2", 0.0));
    }

    @Test
    void journalsALookaheadOfCallsInBatchesRefilledOnlyWhenHalfOfItIsLeft() {
        NumberRates rates = new NumberRates(List.of(EIGHTY), 1.0, Duration.ofMillis(500), Duration.ofSeconds(1));
        rates.update(1, List.of(0));
        Map<String, Integer> waiting = new HashMap<>(Map.of("1", 0));

        assertThat(taken(rates.room(waiting::get), "1"))
                .as("an empty pacer gets the lookahead: 80/s x 0.5 s")
                .isEqualTo(40);
        waiting.put("1", 40);
        assertThat(taken(rates.room(waiting::get), "1")).as("full").isZero();
        waiting.put("1", 21);
        assertThat(taken(rates.room(waiting::get), "1"))
                .as("more than half left: no transaction yet")
                .isZero();
        waiting.put("1", 19);
        assertThat(taken(rates.room(waiting::get), "1"))
                .as("refilled to the full lookahead")
                .isEqualTo(21);
    }

    @Test
    void aNumberWithoutRateTakesNoCall() {
        NumberRates rates = new NumberRates(List.of(EIGHTY), 1.0, Duration.ofMillis(500), Duration.ofSeconds(1));
        rates.update(6, List.of());

        assertThat(rates.room(number -> 0).test("1")).isFalse();
        assertThat(rates.room(number -> 0).test("unknown")).isFalse();
    }

    @Test
    void aJournaledCallMayBeMadeUntilTheLookaheadOnePaceIntervalAndTheCatchUpHavePassed() {
        NumberRates rates = new NumberRates(List.of(TWENTY), 1.0, Duration.ofMillis(500), Duration.ofSeconds(1));
        rates.update(1, List.of(0));

        assertThat(rates.fireBy("2", 1_000)).isEqualTo(1_000 + 500_000_000L + 50_000_000L + 1_000_000_000L);
    }

    private static int taken(Predicate<String> room, String number) {
        int taken = 0;
        while (taken < 1_000 && room.test(number)) {
            taken++;
        }
        return taken;
    }

    private static BusinessNumber number(String id, int limit) {
        return new BusinessNumber(id, "waba", null, "token", null, limit, ZoneId.of("UTC"));
    }
}
