package io.janela.metrics.hours;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which schedule a duration is measured in: the one in force at its end (the answer). */
class SchedulesTest {

    private static final String NUMBER = "100000000000001";
    private static final Schedule NINE_TO_SIX_UTC =
            Schedule.of("UTC", Map.of("monday", List.of("09:00-18:00")), List.of());
    private static final Schedule EIGHT_TO_EIGHT_UTC =
            Schedule.of("UTC", Map.of("monday", List.of("08:00-20:00")), List.of());

    private final Schedules schedules = new Schedules(List.of(
            new Schedules.Version(NUMBER, null, NINE_TO_SIX_UTC),
            new Schedules.Version(NUMBER, LocalDate.parse("2026-11-09"), EIGHT_TO_EIGHT_UTC)));

    @Test
    void measuresADurationInTheScheduleInForceAtItsEnd() {
        // Monday 2 November: the first version (09:00-18:00).
        assertThat(schedules.businessTime(
                        NUMBER, Instant.parse("2026-11-02T07:00:00Z"), Instant.parse("2026-11-02T19:00:00Z")))
                .isEqualTo(Duration.ofHours(9));
        // Monday 9 November: the second (08:00-20:00), from its effective date on.
        assertThat(schedules.businessTime(
                        NUMBER, Instant.parse("2026-11-09T07:00:00Z"), Instant.parse("2026-11-09T19:00:00Z")))
                .isEqualTo(Duration.ofHours(11));
        // A span that starts before the change and ends after it is measured wholly in the new one.
        assertThat(schedules.businessTime(
                        NUMBER, Instant.parse("2026-11-02T07:00:00Z"), Instant.parse("2026-11-09T09:00:00Z")))
                .isEqualTo(Duration.ofHours(12 + 1));
    }

    @Test
    void aNumberWithoutAScheduleInForceIsOpenAllTheTime() {
        Schedules later =
                new Schedules(List.of(new Schedules.Version(NUMBER, LocalDate.parse("2026-11-09"), NINE_TO_SIX_UTC)));

        assertThat(later.businessTime(
                        "other", Instant.parse("2026-11-02T07:00:00Z"), Instant.parse("2026-11-02T19:00:00Z")))
                .isEqualTo(Duration.ofHours(12));
        assertThat(later.businessTime(
                        NUMBER, Instant.parse("2026-11-02T07:00:00Z"), Instant.parse("2026-11-02T19:00:00Z")))
                .as("before its first version")
                .isEqualTo(Duration.ofHours(12));
        assertThat(Schedules.NONE.businessTime(
                        NUMBER, Instant.parse("2026-11-02T19:00:00Z"), Instant.parse("2026-11-02T07:00:00Z")))
                .isZero();
    }

    @Test
    void refusesTwoVersionsOfANumberEffectiveFromTheSameDate() {
        assertThatThrownBy(() -> new Schedules(List.of(
                        new Schedules.Version(NUMBER, LocalDate.parse("2026-11-09"), NINE_TO_SIX_UTC),
                        new Schedules.Version(NUMBER, LocalDate.parse("2026-11-09"), EIGHT_TO_EIGHT_UTC))))
                .hasMessageContaining("phone number " + NUMBER + " has two schedules effective from 2026-11-09");
    }
}
