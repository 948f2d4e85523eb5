package io.janela.metrics.hours;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The business-time calculator: periods, overnight, holidays, DST, long spans, and what the schedule refuses. */
class ScheduleTest {

    private static final String SAO_PAULO = "America/Sao_Paulo";
    private static final List<String> NINE_TO_SIX = List.of("09:00-18:00");

    private static Map<String, List<String>> weekdays(List<String> periods) {
        Map<String, List<String>> hours = new LinkedHashMap<>();
        for (String day : List.of("monday", "tuesday", "wednesday", "thursday", "friday")) {
            hours.put(day, periods);
        }
        return hours;
    }

    private static Instant at(String local, String zone) {
        return LocalDateTime.parse(local).atZone(ZoneId.of(zone)).toInstant();
    }

    private static Instant sp(String local) {
        return at(local, SAO_PAULO);
    }

    @Test
    void countsOnlyTheHoursInsideTheDaysPeriods() {
        Schedule schedule = Schedule.of(SAO_PAULO, weekdays(NINE_TO_SIX), List.of());

        // 2026-11-02 is a Monday: 17:00-18:00 on Monday, 09:00-10:00 on Tuesday.
        assertThat(schedule.between(sp("2026-11-02T17:00"), sp("2026-11-03T10:00")))
                .isEqualTo(Duration.ofHours(2));
        assertThat(schedule.between(sp("2026-11-02T10:15"), sp("2026-11-02T10:20")))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(schedule.between(sp("2026-11-02T19:00"), sp("2026-11-03T08:59")))
                .isZero();
    }

    @Test
    void addsSeveralPeriodsOfOneDayAndSkipsTheGapsBetweenThem() {
        Schedule schedule = Schedule.of(SAO_PAULO, weekdays(List.of("09:00-12:00", "13:00-18:00")), List.of());

        assertThat(schedule.between(sp("2026-11-02T11:00"), sp("2026-11-02T14:00")))
                .isEqualTo(Duration.ofHours(2));
        assertThat(schedule.between(sp("2026-11-02T12:10"), sp("2026-11-02T12:50")))
                .isZero();
    }

    @Test
    void anOvernightPeriodRunsIntoTheNextDayAlsoWhenTheSpanStartsAfterMidnight() {
        Schedule schedule = Schedule.of(SAO_PAULO, Map.of("friday", List.of("22:00-02:00")), List.of());

        // 2026-11-06 is a Friday.
        assertThat(schedule.between(sp("2026-11-06T23:00"), sp("2026-11-07T01:30")))
                .isEqualTo(Duration.ofMinutes(150));
        assertThat(schedule.between(sp("2026-11-07T00:30"), sp("2026-11-07T03:00")))
                .isEqualTo(Duration.ofMinutes(90));
        assertThat(schedule.between(sp("2026-11-07T22:00"), sp("2026-11-08T02:00")))
                .as("Saturday has no period")
                .isZero();
    }

    @Test
    void aWholeDayIsWrittenAsMidnightToMidnight() {
        Schedule zeroZero = Schedule.of(SAO_PAULO, Map.of("saturday", List.of("00:00-00:00")), List.of());
        Schedule to24 = Schedule.of(SAO_PAULO, Map.of("saturday", List.of("00:00-24:00")), List.of());

        assertThat(zeroZero.between(sp("2026-11-06T12:00"), sp("2026-11-08T12:00")))
                .isEqualTo(Duration.ofHours(24));
        assertThat(to24.between(sp("2026-11-06T12:00"), sp("2026-11-08T12:00"))).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void noPeriodStartsOnAHolidayButOneStartedTheDayBeforeRunsToItsEnd() {
        Map<String, List<String>> hours = weekdays(NINE_TO_SIX);
        hours.put("thursday", List.of("09:00-18:00", "22:00-02:00"));
        Schedule schedule = Schedule.of(SAO_PAULO, hours, List.of("2026-12-25"));

        // Thursday 24th 17:00 to Monday 28th 10:00: 1 h Thursday, 22:00-02:00 into the holiday, Friday 25th closed,
        // 1 h Monday.
        assertThat(schedule.between(sp("2026-12-24T17:00"), sp("2026-12-28T10:00")))
                .isEqualTo(Duration.ofHours(6));
    }

    @Test
    void countsTheRealHoursOfPeriodsOnTheDaysDaylightSavingTimeChanges() {
        Map<String, List<String>> sundays = Map.of("sunday", List.of("00:00-06:00"));
        Schedule berlin = Schedule.of("Europe/Berlin", sundays, List.of());

        // 2026-03-29: clocks go from 02:00 to 03:00; 2026-10-25: from 03:00 back to 02:00.
        assertThat(berlin.between(at("2026-03-28T12:00", "Europe/Berlin"), at("2026-03-30T12:00", "Europe/Berlin")))
                .isEqualTo(Duration.ofHours(5));
        assertThat(berlin.between(at("2026-10-24T12:00", "Europe/Berlin"), at("2026-10-26T12:00", "Europe/Berlin")))
                .isEqualTo(Duration.ofHours(7));
        assertThat(berlin.between(at("2026-03-21T12:00", "Europe/Berlin"), at("2026-03-23T12:00", "Europe/Berlin")))
                .as("an ordinary Sunday")
                .isEqualTo(Duration.ofHours(6));
    }

    @Test
    void aPeriodStartingInTheSkippedHourStartsWhenTheClockResumes() {
        Schedule newYork = Schedule.of("America/New_York", Map.of("sunday", List.of("02:30-04:00")), List.of());

        // 2026-03-08 02:00 EST becomes 03:00 EDT: 02:30 does not exist, the period runs 03:30-04:00 EDT.
        assertThat(newYork.between(Instant.parse("2026-03-08T00:00:00Z"), Instant.parse("2026-03-09T00:00:00Z")))
                .isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void spansOfManyDaysAddEveryDay() {
        Schedule schedule = Schedule.of(SAO_PAULO, weekdays(NINE_TO_SIX), List.of("2026-11-20"));

        // Four weeks from Monday 2 November: 20 weekdays, one of them a holiday, 9 hours each.
        assertThat(schedule.between(sp("2026-11-02T00:00"), sp("2026-11-30T00:00")))
                .isEqualTo(Duration.ofHours(171));
        // A year of weekdays (2027 has 261 of them) without holidays.
        Schedule noHolidays = Schedule.of(SAO_PAULO, weekdays(NINE_TO_SIX), List.of());
        assertThat(noHolidays.between(sp("2027-01-01T00:00"), sp("2028-01-01T00:00")))
                .isEqualTo(Duration.ofHours(261L * 9));
    }

    @Test
    void anEmptyOrBackwardSpanHasNoBusinessTime() {
        Schedule schedule = Schedule.of(SAO_PAULO, weekdays(NINE_TO_SIX), List.of());

        assertThat(schedule.between(sp("2026-11-02T10:00"), sp("2026-11-02T10:00")))
                .isZero();
        assertThat(schedule.between(sp("2026-11-02T11:00"), sp("2026-11-02T10:00")))
                .isZero();
    }

    @Test
    void findsWhenAnAmountOfBusinessTimeHasPassed() {
        Map<String, List<String>> hours = weekdays(NINE_TO_SIX);
        hours.put("friday", List.of("09:00-18:00", "22:00-02:00"));
        Schedule schedule = Schedule.of(SAO_PAULO, hours, List.of("2026-11-09"));

        // Friday 6th 17:00 + 4 h: 1 h to 18:00, 4 h overnight from 22:00 reaches 3 h at Saturday 01:00.
        assertThat(schedule.after(sp("2026-11-06T17:00"), Duration.ofHours(4), 30))
                .isEqualTo(sp("2026-11-07T01:00"));
        // + 6 h: the overnight period gives 4, Monday 9th is a holiday, Tuesday 10th 09:00 + 1 h.
        assertThat(schedule.after(sp("2026-11-06T17:00"), Duration.ofHours(6), 30))
                .isEqualTo(sp("2026-11-10T10:00"));
        assertThat(schedule.after(sp("2026-11-06T17:00"), Duration.ZERO, 30)).isEqualTo(sp("2026-11-06T17:00"));
        // Consistent with between().
        Instant due = schedule.after(sp("2026-11-05T12:34"), Duration.ofMinutes(1234), 30);
        assertThat(schedule.between(sp("2026-11-05T12:34"), due)).isEqualTo(Duration.ofMinutes(1234));
    }

    @Test
    void aScheduleWithoutPeriodsNeverReachesATarget() {
        Schedule closed = Schedule.of(SAO_PAULO, Map.of(), List.of());

        assertThat(closed.after(sp("2026-11-06T17:00"), Duration.ofMinutes(1), 60))
                .isNull();
        assertThat(closed.between(sp("2026-11-06T17:00"), sp("2026-12-06T17:00")))
                .isZero();
    }

    @Test
    void refusesOverlappingPeriodsNamingBoth() {
        assertThatThrownBy(() ->
                        Schedule.of(SAO_PAULO, Map.of("monday", List.of("09:00-12:00", "11:00-13:00")), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MONDAY 09:00-12:00")
                .hasMessageContaining("MONDAY 11:00-13:00")
                .hasMessageContaining("overlap");
        // Sunday night into Monday morning wraps around the week.
        Map<String, List<String>> wrap = new LinkedHashMap<>();
        wrap.put("sunday", List.of("22:00-02:00"));
        wrap.put("monday", List.of("01:00-05:00"));
        assertThatThrownBy(() -> Schedule.of(SAO_PAULO, wrap, List.of())).hasMessageContaining("overlap");
        // Touching periods do not overlap.
        Map<String, List<String>> touching = new LinkedHashMap<>();
        touching.put("sunday", List.of("22:00-02:00"));
        touching.put("monday", List.of("02:00-05:00"));
        assertThat(Schedule.of(SAO_PAULO, touching, List.of()).between(sp("2026-11-08T21:00"), sp("2026-11-09T06:00")))
                .isEqualTo(Duration.ofHours(7));
    }

    @Test
    void refusesAWrongZoneWeekdayPeriodOrDateWithAMessageNamingIt() {
        assertThatThrownBy(() -> Schedule.of("Mars/Olympus", Map.of(), List.of()))
                .hasMessageContaining("zone 'Mars/Olympus' is not a time zone id");
        assertThatThrownBy(() -> Schedule.of(SAO_PAULO, Map.of("mon", NINE_TO_SIX), List.of()))
                .hasMessageContaining("'mon' is not a weekday");
        assertThatThrownBy(() -> Schedule.of(SAO_PAULO, Map.of("monday", List.of("9-18")), List.of()))
                .hasMessageContaining("hours.monday: '9-18' is not a period HH:mm-HH:mm");
        assertThatThrownBy(() -> Schedule.of(SAO_PAULO, Map.of("monday", List.of("09:00-25:00")), List.of()))
                .hasMessageContaining("hours.monday: '09:00-25:00'");
        assertThatThrownBy(() -> Schedule.of(SAO_PAULO, Map.of(), List.of("25/12/2026")))
                .hasMessageContaining("holidays: '25/12/2026' is not a date yyyy-MM-dd");
    }
}
