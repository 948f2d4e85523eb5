package io.janela.metrics.hours;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A business number's working hours: a time zone, any number of periods per weekday (overnight ones run into the next
 * day), and dated holidays. A period that starts on a holiday does not run; an overnight period that starts the day
 * before a holiday runs to its end. Periods may not overlap (checked when the schedule is built), so no moment counts
 * twice.
 *
 * <p>Business time between two instants is the part of {@code [from, to)} that falls inside the periods, computed on
 * the real instants of each period: on the day a DST change skips an hour a 00:00–06:00 period lasts 5 hours, on the
 * day it repeats one, 7.
 */
public final class Schedule {

    private final ZoneId zone;
    private final Map<DayOfWeek, List<WeeklyInterval>> periods;
    private final Set<LocalDate> holidays;

    Schedule(ZoneId zone, Collection<WeeklyInterval> periods, Collection<LocalDate> holidays) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.periods = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            this.periods.put(day, new ArrayList<>());
        }
        for (WeeklyInterval period : periods) {
            this.periods.get(period.day()).add(period);
        }
        this.periods.replaceAll((day, list) -> List.copyOf(list));
        this.holidays = Set.copyOf(holidays);
        requireNoOverlap(List.copyOf(periods));
    }

    /**
     * Builds a schedule from its configured text: a time zone id ({@code America/Sao_Paulo}), periods per weekday
     * ({@code monday: [09:00-12:00, 13:00-18:00]}, overnight {@code 22:00-02:00}) and holidays ({@code 2026-12-25}).
     * A message naming the offending value explains whatever is wrong.
     */
    public static Schedule of(String zone, Map<String, List<String>> periodsByDay, Collection<String> holidays) {
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone == null ? "" : zone.strip());
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("zone '" + zone + "' is not a time zone id (e.g. America/Sao_Paulo)");
        }
        List<WeeklyInterval> periods = new ArrayList<>();
        periodsByDay.forEach((dayName, texts) -> {
            DayOfWeek day = weekday(dayName);
            for (String text : texts == null ? List.<String>of() : texts) {
                try {
                    periods.add(WeeklyInterval.parse(day, text));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("hours." + dayName + ": " + e.getMessage());
                }
            }
        });
        List<LocalDate> dates = new ArrayList<>();
        for (String holiday : holidays) {
            dates.add(date("holidays", holiday));
        }
        return new Schedule(zoneId, periods, dates);
    }

    /** Parses an ISO date ({@code 2026-12-25}); the message names the setting. */
    public static LocalDate date(String setting, String text) {
        try {
            return LocalDate.parse(text == null ? "" : text.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(setting + ": '" + text + "' is not a date yyyy-MM-dd");
        }
    }

    private static DayOfWeek weekday(String name) {
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return day;
            }
        }
        throw new IllegalArgumentException("hours: '" + name + "' is not a weekday (monday ... sunday)");
    }

    public ZoneId zone() {
        return zone;
    }

    /** Business time in {@code [from, to)}; zero when {@code to} is not after {@code from}. */
    public Duration between(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return Duration.ZERO;
        }
        long millis = 0;
        // An overnight period of the day before from's date may still be running at from.
        LocalDate last = to.atZone(zone).toLocalDate();
        for (LocalDate date = from.atZone(zone).toLocalDate().minusDays(1);
                !date.isAfter(last);
                date = date.plusDays(1)) {
            if (holidays.contains(date)) {
                continue;
            }
            for (WeeklyInterval period : periods.get(date.getDayOfWeek())) {
                long start = Math.max(period.startOn(date, zone).toEpochMilli(), from.toEpochMilli());
                long end = Math.min(period.endOn(date, zone).toEpochMilli(), to.toEpochMilli());
                millis += Math.max(0, end - start);
            }
        }
        return Duration.ofMillis(millis);
    }

    /**
     * The instant at which {@code business} of business time has passed since {@code from}; null if the schedule has
     * not that much business time in the {@code searchDays} days after {@code from} (no periods, or holidays all
     * along).
     */
    public Instant after(Instant from, Duration business, int searchDays) {
        long left = business.toMillis();
        if (left <= 0) {
            return from;
        }
        LocalDate date = from.atZone(zone).toLocalDate().minusDays(1);
        LocalDate last = date.plusDays(searchDays + 1L);
        for (; !date.isAfter(last); date = date.plusDays(1)) {
            if (holidays.contains(date)) {
                continue;
            }
            List<WeeklyInterval> ordered = new ArrayList<>(periods.get(date.getDayOfWeek()));
            ordered.sort((a, b) -> a.start().compareTo(b.start()));
            for (WeeklyInterval period : ordered) {
                long start = Math.max(period.startOn(date, zone).toEpochMilli(), from.toEpochMilli());
                long end = period.endOn(date, zone).toEpochMilli();
                if (end <= start) {
                    continue;
                }
                if (end - start >= left) {
                    return Instant.ofEpochMilli(start + left);
                }
                left -= end - start;
            }
        }
        return null;
    }

    /**
     * Overlapping periods would count a moment twice: refused, naming both. Compared on the week's minutes, as
     * written (an overnight Sunday period wraps to Monday).
     */
    private static void requireNoOverlap(List<WeeklyInterval> periods) {
        int week = 7 * WeeklyInterval.MINUTES_PER_DAY;
        for (int i = 0; i < periods.size(); i++) {
            for (int j = i + 1; j < periods.size(); j++) {
                WeeklyInterval a = periods.get(i);
                WeeklyInterval b = periods.get(j);
                int aToB = Math.floorMod(b.weekMinute() - a.weekMinute(), week);
                int bToA = Math.floorMod(a.weekMinute() - b.weekMinute(), week);
                if (aToB < a.minutes() || bToA < b.minutes()) {
                    throw new IllegalArgumentException("periods " + a + " and " + b + " overlap");
                }
            }
        }
    }
}
