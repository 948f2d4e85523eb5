package io.janela.metrics.hours;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One business period of a weekday, in the schedule's local time: from {@code start} to {@code end}. An end at or
 * before the start runs into the next day (an overnight period, {@code 22:00-02:00}); {@code 00:00-00:00} is the
 * whole day, as is {@code 00:00-24:00}.
 */
record WeeklyInterval(DayOfWeek day, LocalTime start, LocalTime end) {

    private static final Pattern FORMAT = Pattern.compile("(\\d{2}:\\d{2})\\s*-\\s*(\\d{2}:\\d{2})");
    static final int MINUTES_PER_DAY = 24 * 60;

    /** Parses {@code HH:mm-HH:mm} ({@code 24:00} allowed as an end); the message names what is wrong. */
    static WeeklyInterval parse(DayOfWeek day, String text) {
        Matcher matcher = FORMAT.matcher(text == null ? "" : text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a period HH:mm-HH:mm (e.g. 09:00-18:00)");
        }
        try {
            LocalTime start = LocalTime.parse(matcher.group(1));
            String endText = matcher.group(2);
            LocalTime end = "24:00".equals(endText) ? LocalTime.MIDNIGHT : LocalTime.parse(endText);
            return new WeeklyInterval(day, start, end);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a period HH:mm-HH:mm: " + e.getMessage());
        }
    }

    /** Whether it runs past midnight into the next day. */
    boolean overnight() {
        return !end.isAfter(start);
    }

    /** Its length in minutes as written (DST changes make the real length differ on two days a year). */
    int minutes() {
        int length = end.toSecondOfDay() / 60 - start.toSecondOfDay() / 60;
        return length <= 0 ? length + MINUTES_PER_DAY : length;
    }

    /** Its start in minutes from Monday 00:00. */
    int weekMinute() {
        return (day.getValue() - 1) * MINUTES_PER_DAY + start.toSecondOfDay() / 60;
    }

    /**
     * Its start on {@code date}: a local time that a DST change skips counts from the moment after the gap, one that
     * occurs twice from its first occurrence (java.time's rules for {@code ZonedDateTime.of}).
     */
    Instant startOn(LocalDate date, ZoneId zone) {
        return ZonedDateTime.of(date, start, zone).toInstant();
    }

    /** Its end when it starts on {@code date}. */
    Instant endOn(LocalDate date, ZoneId zone) {
        return ZonedDateTime.of(overnight() ? date.plusDays(1) : date, end, zone)
                .toInstant();
    }

    @Override
    public String toString() {
        return day + " " + start + "-" + (end.equals(LocalTime.MIDNIGHT) ? "24:00" : end);
    }
}
